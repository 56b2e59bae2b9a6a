/// Everything about a new instance, sent in ONE create request: goldfleet never creates an
/// instance and tags or limits it afterwards, so nothing it makes is ever untagged.
public struct LXDCreateInstance: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        /// Copy an existing instance's snapshot (`gold`, `snap1`), copy-on-write where the pool allows.
        case copy(instance: String, snapshot: String)
        /// Create from a local image alias, e.g. `goldfleet/base/bookworm`.
        case image(alias: String)
        /// Create from an image LXD fetches from an image server, e.g. `ubuntu:22.04`.
        case remoteImage(LXDRemoteImage)
    }

    public var name: String
    public var source: Source
    /// Storage pool of the root disk; `nil` keeps the profiles' root disk.
    public var pool: String?
    /// Size quota of the root disk, e.g. `10GiB` (needs `pool`; enforced by btrfs/zfs/lvm, not `dir`).
    public var rootSize: String?
    /// Always sent: a copy created through the REST API without `profiles` gets none, so no NIC.
    public var profiles: [String]
    /// Full config, e.g. `limits.cpu`, `limits.memory`, `security.nesting` and `user.goldfleet.*`.
    public var config: [String: String]

    public init(name: String, source: Source, pool: String? = nil, rootSize: String? = nil, profiles: [String] = ["default"],
                config: [String: String]) {
        self.name = name
        self.source = source
        self.pool = pool
        self.rootSize = rootSize
        self.profiles = profiles
        self.config = config
    }

    /// Sets `limits.cpu` (number of CPUs), `limits.memory` (e.g. `2GiB`) and `security.nesting`.
    public func limited(cpus: Int? = nil, memory: String? = nil, nesting: Bool? = nil) -> LXDCreateInstance {
        var copy = self
        if let cpus { copy.config["limits.cpu"] = String(cpus) }
        if let memory { copy.config["limits.memory"] = memory }
        if let nesting { copy.config["security.nesting"] = nesting ? "true" : "false" }
        return copy
    }

    /// The prefix every goldfleet-made instance carries at least one config key under.
    public static let tagPrefix = "user.goldfleet."

    var isTagged: Bool { config.keys.contains { $0.hasPrefix(Self.tagPrefix) } }

    var sourceDescription: String {
        switch source {
        case .copy(let instance, let snapshot): return "\(instance)/\(snapshot)"
        case .image(let alias): return "image \(alias)"
        case .remoteImage(let image): return "image \(image.alias) from \(image.server)"
        }
    }

    /// The `POST /1.0/instances` body.
    var body: Body {
        let source: Body.Source
        switch self.source {
        case .copy(let instance, let snapshot): source = .init(type: "copy", source: "\(instance)/\(snapshot)", alias: nil)
        case .image(let alias): source = .init(type: "image", source: nil, alias: alias)
        case .remoteImage(let image):
            source = .init(type: "image", source: nil, alias: image.alias, server: image.server, protocol: image.imageProtocol.rawValue)
        }
        var devices: [String: [String: String]]?
        if let pool {
            var root = ["type": "disk", "path": "/", "pool": pool]
            if let rootSize { root["size"] = rootSize }
            devices = ["root": root]
        }
        return Body(name: name, type: "container", source: source, profiles: profiles, config: config, devices: devices)
    }

    struct Body: Encodable, Sendable {
        struct Source: Encodable, Sendable {
            var type: String
            var source: String?
            var alias: String?
            /// Remote images only: the image server and how LXD talks to it.
            var server: String? = nil
            var `protocol`: String? = nil
        }
        var name: String
        var type: String
        var source: Source
        var profiles: [String]
        var config: [String: String]
        var devices: [String: [String: String]]?
    }
}
