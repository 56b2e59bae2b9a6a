/// A local image as `GET /1.0/images?recursion=1` lists it (the parts goldfleet uses).
public struct LXDImageSummary: Sendable, Equatable, Decodable {
    public struct Alias: Sendable, Equatable, Decodable {
        public var name: String
    }

    public var fingerprint: String
    public var aliases: [Alias]
    public var properties: [String: String]
    public var architecture: String
    public var createdAt: String

    public init(fingerprint: String, aliases: [String], properties: [String: String], architecture: String = "", createdAt: String = "") {
        self.fingerprint = fingerprint
        self.aliases = aliases.map { Alias(name: $0) }
        self.properties = properties
        self.architecture = architecture
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey { case fingerprint, aliases, properties, architecture, createdAt = "created_at" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        fingerprint = try container.decode(String.self, forKey: .fingerprint)
        aliases = try container.decodeIfPresent([Alias].self, forKey: .aliases) ?? []
        properties = try container.decodeIfPresent([String: String].self, forKey: .properties) ?? [:]
        architecture = try container.decodeIfPresent(String.self, forKey: .architecture) ?? ""
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt) ?? ""
    }
}
