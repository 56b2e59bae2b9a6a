extension LXDClient {
    /// Takes a (stateless) snapshot of an instance.
    public func createSnapshot(instance: String, name: String) async throws {
        struct Request: Encodable { var name: String; var stateful = false }
        try await operate(LXDIgnored.self, .POST, LXDPath("instances", instance, "snapshots"), body: .encode(Request(name: name)),
                          action: "taking snapshot \(name) of instance \(instance)")
    }

    /// Rolls an instance back to a snapshot.
    public func restoreSnapshot(instance: String, name: String) async throws {
        struct Request: Encodable { var restore: String }
        try await operate(LXDIgnored.self, .PUT, LXDPath("instances", instance), body: .encode(Request(restore: name)),
                          action: "restoring instance \(instance) to snapshot \(name)")
    }

    public func deleteSnapshot(instance: String, name: String) async throws {
        try await operate(LXDIgnored.self, .DELETE, LXDPath("instances", instance, "snapshots", name),
                          action: "deleting snapshot \(name) of instance \(instance)")
    }

    /// The names of an instance's snapshots, e.g. `["snap1"]`.
    public func snapshots(instance: String) async throws -> [String] {
        let urls = try await sync([String].self, LXDPath("instances", instance, "snapshots"), action: "listing the snapshots of instance \(instance)")
        return urls.compactMap { $0.split(separator: "/").last.map(String.init) }.map { $0.removingPercentEncoding ?? $0 }
    }
}
