import Foundation

/// What the orchestrator and the gold commands tell whoever watches them. The library never
/// prints; the CLI turns these into live TTY lines, timestamped plain lines, or nothing (`--json`).
public enum ProgressEvent: Sendable, Equatable {
    case stepStarted(machine: String, step: MachineStep)
    case machineFinished(machine: String, summary: String)
    case machineFailed(machine: String, step: MachineStep, message: String)
    /// A step that belongs to no machine (a gold command's steps) started; see `timedTask`.
    case taskStarted(String)
    /// That step ended after `duration`.
    case taskFinished(String, duration: Duration)
    /// An environment-wide step (preflight, a juju command).
    case note(String)
    case warning(String)
}

/// Receives progress events; called from many tasks at once, so implementations synchronise.
public protocol ProgressSink: Sendable {
    func report(_ event: ProgressEvent)
}

extension ProgressSink {
    /// Runs the step `title`, reporting its start and, when it succeeds, how long it took.
    public func timedTask<T>(_ title: String, clock: MonotonicClock = .system, _ body: () async throws -> T) async rethrows -> T {
        report(.taskStarted(title))
        let (value, duration) = try await clock.measure(body)
        report(.taskFinished(title, duration: duration))
        return value
    }
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
