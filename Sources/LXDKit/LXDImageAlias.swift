/// `GET /1.0/images/aliases/NAME`.
public struct LXDImageAlias: Sendable, Equatable, Decodable {
    public var name: String
    /// Fingerprint of the image the alias points to.
    public var target: String
    /// `container` or `virtual-machine`.
    public var type: String
    public var description: String

    public init(name: String, target: String, type: String = "container", description: String = "") {
        self.name = name
        self.target = target
        self.type = type
        self.description = description
    }

    enum CodingKeys: String, CodingKey { case name, target, type, description }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        target = try container.decode(String.self, forKey: .target)
        type = try container.decodeIfPresent(String.self, forKey: .type) ?? "container"
        description = try container.decodeIfPresent(String.self, forKey: .description) ?? ""
    }
}
