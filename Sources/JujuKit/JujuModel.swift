import Foundation

/// One model as `juju models --format=json` lists it.
public struct JujuModel: Sendable, Hashable {
    /// Qualified name, e.g. `admin/goldfleet`.
    public var name: String
    /// The name without its owner, e.g. `goldfleet` — what `-m` and `add-model` take.
    public var shortName: String
    public var uuid: String?
    public var type: String?

    public init(name: String, shortName: String, uuid: String? = nil, type: String? = nil) {
        self.name = name
        self.shortName = shortName
        self.uuid = uuid
        self.type = type
    }
}

extension JujuModel {
    private struct Listing: Decodable {
        struct Entry: Decodable {
            var name: String
            var shortName: String?
            var modelUUID: String?
            var type: String?
            enum CodingKeys: String, CodingKey {
                case name, type
                case shortName = "short-name"
                case modelUUID = "model-uuid"
            }
        }
        var models: [Entry]?
    }

    /// Parses the body of `juju models --format=json`.
    public static func parseList(_ json: String) throws -> [JujuModel] {
        let listing = try JSONDecoder().decode(Listing.self, from: Data(json.utf8))
        return (listing.models ?? []).map { entry in
            let short = entry.shortName ?? String(entry.name.split(separator: "/").last ?? Substring(entry.name))
            return JujuModel(name: entry.name, shortName: short, uuid: entry.modelUUID, type: entry.type)
        }
    }
}
