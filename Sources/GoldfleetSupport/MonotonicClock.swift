/// Monotonic time as a plain duration since an arbitrary origin, injectable so step timings and
/// deadlines can be driven by tests.
public struct MonotonicClock: Sendable {
    public var now: @Sendable () -> Duration

    public init(now: @escaping @Sendable () -> Duration) { self.now = now }

    public static let system: MonotonicClock = {
        let origin = ContinuousClock.now
        return MonotonicClock { origin.duration(to: .now) }
    }()

    /// Runs `body` and says how long it took: the one way goldfleet times a step (`up`'s
    /// machine steps, the gold commands' steps).
    public func measure<T>(_ body: () async throws -> T) async rethrows -> (value: T, duration: Duration) {
        let start = now()
        let value = try await body()
        return (value, now() - start)
    }
}

extension Duration {
    /// Seconds as a Double, for reports and tables.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
