/// One entry of `GET /1.0/networks/NAME/leases`: an address the managed bridge's DHCP server
/// gave out (or the bridge's own, type `gateway`).
public struct LXDNetworkLease: Sendable, Equatable, Decodable {
    public var hostname: String
    public var hwaddr: String
    public var address: String
    /// `dynamic`, `static` or `gateway`.
    public var type: String

    public init(hostname: String, hwaddr: String, address: String, type: String) {
        self.hostname = hostname
        self.hwaddr = hwaddr
        self.address = address
        self.type = type
    }

    enum CodingKeys: String, CodingKey { case hostname, hwaddr, address, type }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        hostname = try container.decodeIfPresent(String.self, forKey: .hostname) ?? ""
        hwaddr = try container.decodeIfPresent(String.self, forKey: .hwaddr) ?? ""
        address = try container.decode(String.self, forKey: .address)
        type = try container.decodeIfPresent(String.self, forKey: .type) ?? ""
    }

    /// True for an IPv4 lease of the NIC with this MAC address.
    public func isIPv4(of mac: String) -> Bool {
        hwaddr.lowercased() == mac.lowercased() && !address.contains(":")
    }
}
