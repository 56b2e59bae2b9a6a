extension LXDClient {
    /// `GET /1.0`: API extensions, storage drivers, server name, whether clustered.
    public func serverInfo() async throws -> LXDServerInfo {
        try await sync(LXDServerInfo.self, LXDPath(), action: "reading the server's information")
    }

    /// The cluster's members with their status; empty when the daemon is not clustered.
    public func clusterMembers() async throws -> [LXDClusterMember] {
        let action = "listing the cluster's members"
        let cluster = try await sync(LXDClusterRecord.self, LXDPath("cluster"), action: action)
        guard cluster.enabled else { return [] }
        return try await sync([LXDClusterMember].self, LXDPath("cluster", "members"), query: [("recursion", "1")], action: action)
    }

    /// A storage pool's driver and space; `nil` when there is no such pool. On a cluster each
    /// member has its own copy of a pool: `member` names whose space to read (default: the
    /// member that answers).
    public func storagePool(_ name: String, member: String? = nil) async throws -> LXDStoragePool? {
        let action = "reading storage pool \(name)" + (member.map { " on member \($0)" } ?? "")
        let target = member.map { [("target", $0)] } ?? []
        guard let record = try await syncIfPresent(LXDStoragePoolRecord.self, LXDPath("storage-pools", name), query: target, action: action) else {
            return nil
        }
        let resources = try await syncIfPresent(LXDStoragePoolResources.self, LXDPath("storage-pools", name, "resources"), query: target, action: action)
        return LXDStoragePool(name: record.name, driver: record.driver, status: record.status ?? "",
                              config: record.config ?? [:], space: resources?.space)
    }
}
