import Foundation
import GoldfleetSupport
import Inventory

/// What `cycle --watch` tells its caller.
public enum CycleWatchEvent: Sendable {
    /// Watching these charm directories.
    case watching([String])
    /// A save changed these files; the sync run that followed.
    case ran(changed: [String], report: SyncCycleReport)
    /// A run (or a look at the charm directories) failed; watching goes on.
    case failed(message: String, hint: String?)
}

extension Orchestrator {
    /// `goldfleet cycle FILE [APP…] --watch [--hook NAME]`: polls the local charm directories
    /// every `interval` and, once a change has settled (two polls alike: editors save in several
    /// steps), runs `cycleSync` for it. Runs until the task is cancelled (Ctrl-C), then returns
    /// normally; a failed run is reported and watching goes on. The sessions stay open across
    /// runs, so a run after a save pays no login.
    public func cycleWatch(_ inventory: Inventory, applications names: [String], hook: String = CharmHook.defaultName,
                           sessions: MachineSessions, interval: Duration = .milliseconds(300),
                           _ report: @Sendable (CycleWatchEvent) -> Void) async throws {
        let roots = try Self.localApplications(inventory, named: names).map(\.charm)
        report(.watching(roots))
        var seen = try TreeFingerprint.of(roots)
        var lastProblem: String?
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
                var current = try TreeFingerprint.of(roots)
                guard current != seen else { continue }
                while true {
                    try await Task.sleep(for: interval)
                    let next = try TreeFingerprint.of(roots)
                    if next == current { break }
                    current = next
                }
                let changed = current.changes(since: seen)
                seen = current
                lastProblem = nil
                let run = try await cycleSync(inventory, applications: names, hook: hook, sessions: sessions)
                if Task.isCancelled { return }
                report(.ran(changed: changed, report: run))
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                // A tree caught mid-save may be unreadable for a moment: say it once.
                let message = MachineFailure.text(of: error)
                if message != lastProblem { report(.failed(message: message, hint: (error as? any UserFacingError)?.hint)) }
                lastProblem = message
            }
        }
    }
}
