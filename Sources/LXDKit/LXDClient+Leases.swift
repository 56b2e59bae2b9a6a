extension LXDClient {
    /// The DHCP leases of a managed network. LXD reads them from its dnsmasq's lease file, a
    /// fraction of the work of an instance's state (which enters the instance's namespaces).
    public func networkLeases(_ network: String) async throws -> [LXDNetworkLease] {
        try await sync([LXDNetworkLease].self, LXDPath("networks", network, "leases"), action: "reading the DHCP leases of network \(network)")
    }
}
