import GoldfleetSupport

/// How long goldfleet waits for a daemon that went away (a restart, a package upgrade) before it
/// fails the request, and how often it tries again meanwhile. Clock and sleep are injected so
/// the schedule is unit-tested without waiting.
public struct LXDRetryPolicy: Sendable {
    /// How long after the first failure of one request it is still tried again.
    public var window: Duration
    /// The first pause; each next one doubles, up to `maximumDelay`.
    public var firstDelay: Duration
    public var maximumDelay: Duration
    var clock: MonotonicClock
    var sleep: @Sendable (Duration) async throws -> Void

    public init(window: Duration = .seconds(30), firstDelay: Duration = .milliseconds(100), maximumDelay: Duration = .seconds(1)) {
        self.init(window: window, firstDelay: firstDelay, maximumDelay: maximumDelay, clock: .system,
                  sleep: { try await Task.sleep(for: $0) })
    }

    init(window: Duration, firstDelay: Duration, maximumDelay: Duration, clock: MonotonicClock,
         sleep: @escaping @Sendable (Duration) async throws -> Void) {
        self.window = window
        self.firstDelay = firstDelay
        self.maximumDelay = maximumDelay
        self.clock = clock
        self.sleep = sleep
    }

    /// A restart of LXD 5.0 takes about 1-3 s once its running operations are done; 30 s covers
    /// a slow one on a loaded host without making a daemon that stays away look like a hang.
    public static let standard = LXDRetryPolicy()

    /// Never retries: every outage fails the request at once.
    public static let never = LXDRetryPolicy(window: .zero)

    /// The pause before retry number `retry` (1-based).
    func delay(beforeRetry retry: Int) -> Duration {
        var delay = firstDelay
        for _ in 1..<max(1, retry) {
            delay = delay * 2
            if delay >= maximumDelay { return maximumDelay }
        }
        return min(delay, maximumDelay)
    }

    /// Runs `attempt` until it succeeds, fails with something that is not a retryable outage,
    /// or the outage outlasts the window (then `LXDRetryExhausted`). Returns the value and how
    /// many outages were ridden out.
    func run<T: Sendable>(
        _ safety: LXDRequestSafety, memory: LXDAnswerMemory, _ attempt: () async throws -> T
    ) async throws -> (value: T, outages: Int) {
        var outages = 0
        var firstFailure: Duration?
        while true {
            do {
                let value = try await attempt()
                memory.answered()
                return (value, outages)
            } catch {
                guard window > .zero, let outage = LXDOutage(error), outage.permitsRetry(of: safety), memory.waitsForReturn else { throw error }
                let started = firstFailure ?? clock.now()
                firstFailure = started
                outages += 1
                let pause = delay(beforeRetry: outages)
                let waited = clock.now() - started
                guard waited + pause <= window else {
                    memory.gaveUp()
                    throw LXDRetryExhausted(last: error, window: window)
                }
                try await sleep(pause)
            }
        }
    }
}

/// The daemon stayed away for the whole retry window; `last` is the last failure seen.
struct LXDRetryExhausted: Error {
    var last: any Error
    var window: Duration
}
