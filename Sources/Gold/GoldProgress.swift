import GoldfleetSupport

/// What the gold commands report while they work; the CLI prints these, tests record them.
public enum GoldProgressEvent: Sendable, Equatable {
    case stepStarted(String)
    /// A step ended after `duration`.
    case stepFinished(String, duration: Duration)
    case note(String)
    case warning(String)
}

/// Receives progress; the library never prints.
public typealias GoldProgress = @Sendable (GoldProgressEvent) -> Void

/// Runs one named step, reporting its start and its duration.
func timedStep<T: Sendable>(
    _ title: String, progress: GoldProgress, clock: MonotonicClock = .system, _ body: () async throws -> T
) async throws -> T {
    progress(.stepStarted(title))
    let started = clock.now()
    let result = try await body()
    progress(.stepFinished(title, duration: clock.now() - started))
    return result
}
