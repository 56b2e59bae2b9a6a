/// An instance as `GET /1.0/instances?recursion=1` lists it (the parts goldfleet uses).
public struct LXDInstance: Sendable, Equatable, Decodable {
    public var name: String
    /// `Running`, `Stopped`, `Frozen`, `Error`, …
    public var status: String
    /// `container` or `virtual-machine`.
    public var type: String
    /// The cluster member it lives on (`none` on a standalone daemon).
    public var location: String
    /// The instance's own config (where goldfleet's `user.goldfleet.*` tags are).
    public var config: [String: String]
    public var profiles: [String]
    /// Devices after profiles are applied, e.g. `root` (with its `pool`) and `eth0`.
    public var expandedDevices: [String: [String: String]]
    public var createdAt: String

    /// The storage pool of the root disk.
    public var rootPool: String? {
        expandedDevices.values.first { $0["type"] == "disk" && $0["path"] == "/" }?["pool"]
    }

    public var isRunning: Bool { status == "Running" }

    public init(name: String, status: String, type: String = "container", location: String = "none", config: [String: String] = [:],
                profiles: [String] = [], expandedDevices: [String: [String: String]] = [:], createdAt: String = "") {
        self.name = name
        self.status = status
        self.type = type
        self.location = location
        self.config = config
        self.profiles = profiles
        self.expandedDevices = expandedDevices
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case name, status, type, location, config, profiles
        case expandedDevices = "expanded_devices", createdAt = "created_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        status = try container.decode(String.self, forKey: .status)
        type = try container.decodeIfPresent(String.self, forKey: .type) ?? "container"
        location = try container.decodeIfPresent(String.self, forKey: .location) ?? "none"
        config = try container.decodeIfPresent([String: String].self, forKey: .config) ?? [:]
        profiles = try container.decodeIfPresent([String].self, forKey: .profiles) ?? []
        expandedDevices = try container.decodeIfPresent([String: [String: String]].self, forKey: .expandedDevices) ?? [:]
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt) ?? ""
    }

    /// True when every key of `required` is in the config with the same value.
    public func matches(config required: [String: String]) -> Bool {
        required.allSatisfy { config[$0.key] == $0.value }
    }
}

extension LXDInstance {
    /// The cluster member, or nil on a standalone daemon (LXD says "none").
    public var member: String? { location.isEmpty || location == "none" ? nil : location }
}
