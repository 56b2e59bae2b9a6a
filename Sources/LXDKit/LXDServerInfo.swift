/// What `GET /1.0` says about the daemon.
public struct LXDServerInfo: Sendable, Equatable, Decodable {
    public var apiVersion: String
    public var apiExtensions: [String]
    /// `trusted` when our client certificate (or the unix socket) gives full access.
    public var auth: String
    public var serverName: String
    public var serverVersion: String
    public var clustered: Bool
    /// Storage drivers this daemon supports, e.g. `["dir", "btrfs"]`.
    public var storageDrivers: [String]
    /// Addresses the daemon listens on for HTTPS (empty when it does not).
    public var addresses: [String]

    public func supports(_ apiExtension: String) -> Bool { apiExtensions.contains(apiExtension) }

    public init(apiVersion: String, apiExtensions: [String], auth: String, serverName: String, serverVersion: String,
                clustered: Bool, storageDrivers: [String], addresses: [String]) {
        self.apiVersion = apiVersion
        self.apiExtensions = apiExtensions
        self.auth = auth
        self.serverName = serverName
        self.serverVersion = serverVersion
        self.clustered = clustered
        self.storageDrivers = storageDrivers
        self.addresses = addresses
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion = "api_version", apiExtensions = "api_extensions", auth, environment
    }

    struct Environment: Decodable {
        struct Driver: Decodable { var Name: String }
        var server_name: String?
        var server_version: String?
        var server_clustered: Bool?
        var storage_supported_drivers: [Driver]?
        var storage: String?
        var addresses: [String]?
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try container.decode(String.self, forKey: .apiVersion)
        apiExtensions = try container.decodeIfPresent([String].self, forKey: .apiExtensions) ?? []
        auth = try container.decodeIfPresent(String.self, forKey: .auth) ?? "untrusted"
        // An untrusted client gets no environment at all.
        let environment = try container.decodeIfPresent(Environment.self, forKey: .environment)
        serverName = environment?.server_name ?? ""
        serverVersion = environment?.server_version ?? ""
        clustered = environment?.server_clustered ?? false
        if let drivers = environment?.storage_supported_drivers {
            storageDrivers = drivers.map(\.Name)
        } else {
            // Older daemons only give the configured drivers as "dir | btrfs".
            storageDrivers = (environment?.storage ?? "").split(separator: "|")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        addresses = environment?.addresses ?? []
    }
}
