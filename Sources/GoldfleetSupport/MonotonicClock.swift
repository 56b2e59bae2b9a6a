/// Monotonic time as a plain duration since an arbitrary origin, injectable so step timings and
/// deadlines can be driven by tests.
public struct MonotonicClock: Sendable {
    public var now: @Sendable () -> Duration

    public init(now: @escaping @Sendable () -> Duration) { self.now = now }

    public static let system: MonotonicClock = {
        let origin = ContinuousClock.now
        return MonotonicClock { origin.duration(to: .now) }
    }()
}

extension Duration {
    /// Seconds as a Double, for reports and tables.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
