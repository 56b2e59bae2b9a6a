/// A member of an LXD cluster, from `GET /1.0/cluster/members?recursion=1`.
public struct LXDClusterMember: Sendable, Equatable, Decodable {
    public var name: String
    /// `Online`, `Offline`, `Evacuated`, `Blocked`.
    public var status: String
    /// The member's HTTPS address, e.g. `https://10.99.0.11:8443`.
    public var url: String
    public var message: String
    public var roles: [String]

    public var isOnline: Bool { status == "Online" }

    public init(name: String, status: String, url: String, message: String = "", roles: [String] = []) {
        self.name = name
        self.status = status
        self.url = url
        self.message = message
        self.roles = roles
    }

    enum CodingKeys: String, CodingKey { case name = "server_name", status, url, message, roles }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        status = try container.decode(String.self, forKey: .status)
        url = try container.decodeIfPresent(String.self, forKey: .url) ?? ""
        message = try container.decodeIfPresent(String.self, forKey: .message) ?? ""
        roles = try container.decodeIfPresent([String].self, forKey: .roles) ?? []
    }
}

/// `GET /1.0/cluster`: whether clustering is on.
struct LXDClusterRecord: Decodable, Sendable {
    var enabled: Bool
}
