extension LXDOperations {
    /// Waits until `nic` of a started instance has a global-scope IPv4 and returns it.
    ///
    /// Polls the state every 150 ms (the events API would need a websocket for the same
    /// latency). With a lease board, the state — the costly call — is only read once the
    /// managed bridge's DHCP server has leased the NIC an address, and every two seconds anyway
    /// (a static address, or a network LXD does not manage). Fails at once if the instance
    /// stops, and on timeout says what it saw last.
    public func waitForIPv4(_ name: String, nic: String = "eth0", timeout: Duration,
                            pollInterval: Duration = .milliseconds(150), leases: LXDLeaseBoard? = nil) async throws -> String {
        let action = "waiting for an IPv4 address on \(nic) of instance \(name)"
        let clock = ContinuousClock()
        let end = clock.now + timeout
        var lastSeen = "nothing yet"
        var watch: (board: LXDLeaseBoard, network: String, mac: String)?
        if let leases, let instance = try await instance(named: name),
           let network = instance.expandedDevices[nic]?["network"], let mac = instance.config["volatile.\(nic).hwaddr"] {
            watch = (leases, network, mac)
        }
        // A clone that has just started has no address yet: the first state read waits too.
        var nextStateRead = clock.now + (watch == nil ? .zero : Self.stateReadFallback)
        while true {
            var readState = true
            if let watch, clock.now < nextStateRead {
                let leased = try? await watch.board.leases(of: watch.network).contains { $0.isIPv4(of: watch.mac) }
                readState = leased ?? true
            }
            if readState {
                let state = try await self.state(name)
                if let address = state.globalIPv4(nic: nic) { return address }
                lastSeen = state.summary
                if state.status == "Stopped" || state.status == "Error" {
                    throw LXDError(kind: .notRunning, action: action, endpoint: endpoint.description, detail: "the instance is \(state.status)")
                }
                nextStateRead = clock.now + Self.stateReadFallback
            }
            let interval = watch?.board.interval ?? pollInterval
            if clock.now + interval > end {
                throw LXDError(kind: .timedOut, action: action, endpoint: endpoint.description,
                               detail: "no global IPv4 on \(nic) within \(timeout); last seen: \(lastSeen)")
            }
            try await Task.sleep(for: interval)
        }
    }

    /// With a lease board, how often the state is read although no lease has appeared.
    static var stateReadFallback: Duration { .seconds(2) }
}
