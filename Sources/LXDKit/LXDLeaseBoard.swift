/// The DHCP leases of managed networks, read at most once per `interval` however many machines
/// wait for an address: eight clones polling their own state cost LXD ~9 ms of CPU per poll
/// each, while they boot and need that CPU themselves.
public actor LXDLeaseBoard {
    public let lxd: any LXDOperations
    public let interval: Duration
    private var latest: [String: (at: ContinuousClock.Instant, leases: [LXDNetworkLease])] = [:]
    private var reading: [String: Task<[LXDNetworkLease], any Error>] = [:]

    public init(lxd: any LXDOperations, interval: Duration = .milliseconds(100)) {
        self.lxd = lxd
        self.interval = interval
    }

    /// The leases of `network`, no older than `interval`; concurrent callers share one request.
    public func leases(of network: String) async throws -> [LXDNetworkLease] {
        if let latest = latest[network], ContinuousClock.now - latest.at < interval { return latest.leases }
        if let reading = reading[network] { return try await reading.value }
        let lxd = self.lxd
        let task = Task { try await lxd.networkLeases(network) }
        reading[network] = task
        defer { reading[network] = nil }
        let leases = try await task.value
        latest[network] = (ContinuousClock.now, leases)
        return leases
    }
}
