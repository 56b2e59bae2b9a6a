extension LXDClient {
    /// Instances whose own config holds every key/value of `matchingConfig` (e.g.
    /// `user.goldfleet.env=demo`); all instances when it is empty. Filtered here, not by LXD,
    /// because 5.0's server-side filter syntax differs between versions.
    public func instances(matchingConfig: [String: String]) async throws -> [LXDInstance] {
        let all = try await sync([LXDInstance].self, LXDPath("instances"), query: [("recursion", "1")], action: "listing instances")
        return all.filter { $0.matches(config: matchingConfig) }.sorted { $0.name < $1.name }
    }

    /// One instance, or `nil` when there is none of that name.
    public func instance(named name: String) async throws -> LXDInstance? {
        try await syncIfPresent(LXDInstance.self, LXDPath("instances", name), action: "reading instance \(name)")
    }

    /// Creates an instance, with its profiles, pool, limits and tags all in the one request, and
    /// waits until it exists. `target` places it on a cluster member.
    ///
    /// Refuses a request without any `user.goldfleet.*` key: goldfleet never makes an instance
    /// it could not find again.
    public func createInstance(_ request: LXDCreateInstance, target: String? = nil) async throws {
        let action = "creating instance \(request.name) from \(request.sourceDescription)"
            + (request.pool.map { " in pool \($0)" } ?? "") + (target.map { " on member \($0)" } ?? "")
        guard request.isTagged else {
            throw LXDError(kind: .invalidRequest, action: action, endpoint: endpoint.description,
                           detail: "the request has no \(LXDCreateInstance.tagPrefix)* config key; goldfleet creates nothing untagged")
        }
        try await operate(LXDIgnored.self, .POST, LXDPath("instances"), query: target.map { [("target", $0)] } ?? [],
                          body: .encode(request.body), action: action)
    }

    public func start(_ name: String) async throws {
        try await changeState(name, StateChange(action: "start", force: nil, timeout: nil), action: "starting instance \(name)")
    }

    /// Stops an instance; `force` kills it instead of asking it to shut down.
    public func stop(_ name: String, force: Bool) async throws {
        try await changeState(name, StateChange(action: "stop", force: force, timeout: force ? nil : 60),
                              action: "stopping instance \(name)")
    }

    /// Deletes an instance and its snapshots. It must be stopped.
    public func delete(_ name: String) async throws {
        try await operate(LXDIgnored.self, .DELETE, LXDPath("instances", name), action: "deleting instance \(name)")
    }

    /// Status and the addresses of each NIC.
    public func state(_ name: String) async throws -> LXDInstanceState {
        try await sync(LXDInstanceState.self, LXDPath("instances", name, "state"), action: "reading the state of instance \(name)")
    }

    /// Sets config keys, leaving the others alone (`PATCH`). Setting the same keys twice is the
    /// same as once, so it is sent again when LXD restarts under it.
    public func updateConfig(_ name: String, set: [String: String]) async throws {
        struct Patch: Encodable { var config: [String: String] }
        try await operate(LXDIgnored.self, .PATCH, LXDPath("instances", name), body: .encode(Patch(config: set)),
                          safety: .idempotent, action: "updating the config of instance \(name)")
    }

    private struct StateChange: Encodable {
        var action: String
        var force: Bool?
        var timeout: Int?
    }

    /// An instance still busy with another operation (a clone that an interrupted `up` left
    /// running in LXD, say) is waited for, up to `busyDeadline`, instead of failing at once.
    private func changeState(_ name: String, _ change: StateChange, action: String,
                             busyDeadline: Duration = .seconds(120)) async throws {
        let clock = ContinuousClock()
        let end = clock.now + busyDeadline
        while true {
            do {
                try await operate(LXDIgnored.self, .PUT, LXDPath("instances", name, "state"), body: .encode(change), action: action)
                return
            } catch let error as LXDError where error.isInstanceBusy && clock.now < end {
                try await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    /// LXD's architecture name of an instance (`x86_64`, `aarch64`).
    public func architecture(ofInstance name: String) async throws -> String {
        struct Architecture: Decodable, Sendable { var architecture: String }
        return try await sync(Architecture.self, LXDPath("instances", name), action: "reading instance \(name)").architecture
    }

    /// Creates `request.name` as a copy of a whole (stopped) instance rather than a snapshot,
    /// which `LXDCreateInstance.Source` does not express; the tags and profiles rules are the
    /// same. Only the instance is copied, not its snapshots.
    public func createInstance(copyingInstance source: String, as request: LXDCreateInstance) async throws {
        struct Source: Encodable {
            var type = "copy"
            var source: String
            var instanceOnly = true
            enum CodingKeys: String, CodingKey { case type, source, instanceOnly = "instance_only" }
        }
        struct Body: Encodable {
            var name: String
            var type: String
            var source: Source
            var profiles: [String]
            var config: [String: String]
            var devices: [String: [String: String]]?
        }
        let base = request.body
        let body = Body(name: base.name, type: base.type, source: Source(source: source), profiles: base.profiles, config: base.config,
                        devices: base.devices)
        let action = "creating instance \(request.name) from instance \(source)"
        guard request.isTagged else {
            throw LXDError(kind: .invalidRequest, action: action, endpoint: endpoint.description,
                           detail: "the request has no \(LXDCreateInstance.tagPrefix)* config key; goldfleet creates nothing untagged")
        }
        try await operate(LXDIgnored.self, .POST, LXDPath("instances"), body: .encode(body), action: action)
    }
}
