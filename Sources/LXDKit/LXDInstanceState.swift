/// `GET /1.0/instances/NAME/state`: whether it runs, and the addresses of each NIC.
public struct LXDInstanceState: Sendable, Equatable, Decodable {
    public var status: String
    public var statusCode: Int
    /// Keyed by the NIC's name inside the instance (`eth0`, `lo`); empty when stopped.
    public var network: [String: LXDNetworkInterface]

    public init(status: String, statusCode: Int, network: [String: LXDNetworkInterface]) {
        self.status = status
        self.statusCode = statusCode
        self.network = network
    }

    enum CodingKeys: String, CodingKey { case status, network, statusCode = "status_code" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decode(String.self, forKey: .status)
        statusCode = try container.decodeIfPresent(Int.self, forKey: .statusCode) ?? 0
        network = try container.decodeIfPresent([String: LXDNetworkInterface].self, forKey: .network) ?? [:]
    }

    /// The first global-scope IPv4 on `nic`, the address other machines can reach.
    public func globalIPv4(nic: String) -> String? {
        network[nic]?.addresses.first { $0.family == "inet" && $0.scope == "global" }?.address
    }

    /// A one-line account for error messages: `Running, eth0: inet6 fe80::1 (link)`.
    public var summary: String {
        let nics = network.keys.sorted().filter { $0 != "lo" }.map { nic in
            let addresses = network[nic]!.addresses.map { "\($0.family) \($0.address) (\($0.scope))" }
            return "\(nic): " + (addresses.isEmpty ? "no addresses" : addresses.joined(separator: ", "))
        }
        return ([status] + nics).joined(separator: ", ")
    }
}

public struct LXDNetworkInterface: Sendable, Equatable, Decodable {
    public var addresses: [LXDAddress]
    public var hwaddr: String?
    public var state: String?

    public init(addresses: [LXDAddress], hwaddr: String? = nil, state: String? = nil) {
        self.addresses = addresses
        self.hwaddr = hwaddr
        self.state = state
    }

    enum CodingKeys: String, CodingKey { case addresses, hwaddr, state }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        addresses = try container.decodeIfPresent([LXDAddress].self, forKey: .addresses) ?? []
        hwaddr = try container.decodeIfPresent(String.self, forKey: .hwaddr)
        state = try container.decodeIfPresent(String.self, forKey: .state)
    }
}

public struct LXDAddress: Sendable, Equatable, Decodable {
    /// `inet` or `inet6`.
    public var family: String
    public var address: String
    public var netmask: String
    /// `global`, `link` or `local`.
    public var scope: String

    public init(family: String, address: String, netmask: String, scope: String) {
        self.family = family
        self.address = address
        self.netmask = netmask
        self.scope = scope
    }
}

extension LXDInstanceState {
    /// Global IPv4 addresses of every NIC (what `down` unpins and `status` shows).
    public var ipv4Addresses: [String] {
        network.keys.sorted().flatMap { nic in
            network[nic]!.addresses.filter { $0.family == "inet" && $0.scope == "global" }.map(\.address)
        }
    }
}
