import Foundation
import GoldfleetSupport

/// What one `goldfleet cycle --sync` run did on each unit: the files it pushed, the hook it
/// fired with its output, and how long each took.
public struct SyncCycleReport: Sendable, JSONReport {
    public struct Unit: Sendable, Encodable, Equatable {
        public var name: String
        /// The goldfleet machine (instance) the unit runs on, when it is one of the environment's.
        public var machine: String?
        /// Files that crossed the network (changed since the last sync to that unit).
        public var uploaded: Int = 0
        /// Files and directories copied into the unit's charm directory.
        public var copied: Int = 0
        /// Files removed from the charm directory because they are gone locally.
        public var removed: Int = 0
        /// The charm directory had no trusted record of the last sync, so everything was copied.
        public var fullCopy = false
        public var syncSeconds: Double = 0
        public var hookSeconds: Double = 0
        /// From the start of the run until this unit's hook ended.
        public var total: Double = 0
        /// The hook's exit status; nil when it did not run.
        public var exitCode: Int32?
        /// The hook's last lines of output (`outputLines` in all).
        public var output: [String] = []
        public var outputLines = 0
        /// Why the unit could not be synced or its hook not run (not a failing hook).
        public var error: String?
        public var hint: String?

        public var succeeded: Bool { error == nil && exitCode == 0 }

        public init(name: String, machine: String?) {
            self.name = name
            self.machine = machine
        }
    }

    public var mode = "sync"
    public var hook: String
    public var units: [Unit]
    /// From the start of the run until the last unit finished.
    public var seconds: Double

    public var succeeded: Bool { !units.isEmpty && units.allSatisfy(\.succeeded) }

    /// How many of a hook's last lines a report keeps (its whole output is in the unit's log).
    public static let keptLines = 20
}
