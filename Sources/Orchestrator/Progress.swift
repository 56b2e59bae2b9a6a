import Foundation

/// What the orchestrator tells whoever watches it. The library never prints; the CLI turns these
/// into live TTY lines, timestamped plain lines, or nothing (with `--json`).
public enum ProgressEvent: Sendable, Equatable {
    case stepStarted(machine: String, step: MachineStep)
    case machineFinished(machine: String, summary: String)
    case machineFailed(machine: String, step: MachineStep, message: String)
    /// An environment-wide step (preflight, a juju command).
    case note(String)
    case warning(String)
}

/// Receives progress events; called from many tasks at once, so implementations synchronise.
public protocol ProgressSink: Sendable {
    func report(_ event: ProgressEvent)
}

/// Drops everything (tests, `--json`).
public struct SilentProgress: ProgressSink {
    public init() {}
    public func report(_ event: ProgressEvent) {}
}

/// Collects events in memory, for tests.
public final class RecordingProgress: ProgressSink, @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [ProgressEvent] = []
    public init() {}
    public func report(_ event: ProgressEvent) { lock.withLock { stored.append(event) } }
    public var events: [ProgressEvent] { lock.withLock { stored } }
}
