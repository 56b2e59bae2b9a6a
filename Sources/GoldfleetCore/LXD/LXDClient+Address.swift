extension LXDClient {
    /// Waits until `nic` of a started instance has a global-scope IPv4 and returns it.
    ///
    /// Polls the state every 150 ms (one small local request; the events API would need a
    /// websocket for the same latency). Fails at once if the instance stops, and on timeout
    /// says what it saw last.
    public func waitForIPv4(_ name: String, nic: String = "eth0", timeout: Duration,
                            pollInterval: Duration = .milliseconds(150)) async throws -> String {
        let action = "waiting for an IPv4 address on \(nic) of instance \(name)"
        let clock = ContinuousClock()
        let end = clock.now + timeout
        var lastSeen = "nothing yet"
        while true {
            let state = try await self.state(name)
            if let address = state.globalIPv4(nic: nic) { return address }
            lastSeen = state.summary
            if state.status == "Stopped" || state.status == "Error" {
                throw LXDError(kind: .notRunning, action: action, endpoint: endpoint.description, detail: "the instance is \(state.status)")
            }
            if clock.now + pollInterval > end {
                throw LXDError(kind: .timedOut, action: action, endpoint: endpoint.description,
                               detail: "no global IPv4 on \(nic) within \(timeout); last seen: \(lastSeen)")
            }
            try await Task.sleep(for: pollInterval)
        }
    }
}
