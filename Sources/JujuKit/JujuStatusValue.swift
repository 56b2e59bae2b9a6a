/// A status block juju prints everywhere (`juju-status`, `workload-status`, `machine-status`, …).
public struct JujuStatusValue: Sendable, Hashable, Decodable {
    public var current: String?
    public var message: String?
    public var since: String?
    public var version: String?

    public init(current: String? = nil, message: String? = nil, since: String? = nil, version: String? = nil) {
        self.current = current
        self.message = message
        self.since = since
        self.version = version
    }

    enum CodingKeys: String, CodingKey { case current, message, since, version }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        current = c.lenient(String.self, forKey: .current)
        message = c.lenient(String.self, forKey: .message)
        since = c.lenient(String.self, forKey: .since)
        version = c.lenient(String.self, forKey: .version)
    }
}

/// A machine's OS. Juju 3.x prints `base: {name, channel}`; 2.9 prints `series: jammy`.
public struct JujuBase: Sendable, Hashable, Decodable, CustomStringConvertible {
    public var name: String
    public var channel: String

    public init(name: String, channel: String) {
        self.name = name
        self.channel = channel
    }

    /// The spelling `--base` takes, e.g. `ubuntu@22.04`.
    public var description: String { "\(name)@\(channel)" }
}
