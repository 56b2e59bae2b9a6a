extension LXDClient {
    /// Publishes an instance (or one of its snapshots) as a local image with `aliases`, and
    /// returns the image's fingerprint. `compression` is LXD's `compression_algorithm` (e.g.
    /// `none` to skip the slow gzip); `nil` uses the daemon's default.
    public func publish(instance: String, snapshot: String?, aliases: [String], properties: [String: String],
                        compression: String? = nil) async throws -> String {
        let source = snapshot.map { "\(instance)/\($0)" } ?? instance
        let action = "publishing \(source) as image \(aliases.joined(separator: ", "))"
        struct Request: Encodable {
            struct Source: Encodable { var type: String; var name: String }
            struct Alias: Encodable { var name: String; var description = "" }
            var source: Source
            var aliases: [Alias]
            var properties: [String: String]
            var compressionAlgorithm: String?
            enum CodingKeys: String, CodingKey { case source, aliases, properties, compressionAlgorithm = "compression_algorithm" }
        }
        struct Published: Decodable, Sendable { var fingerprint: String }
        let request = Request(source: .init(type: snapshot == nil ? "instance" : "snapshot", name: source),
                              aliases: aliases.map { .init(name: $0) }, properties: properties, compressionAlgorithm: compression)
        guard let fingerprint = try await operate(Published.self, .POST, LXDPath("images"), body: .encode(request), action: action)?
            .metadata?.fingerprint else {
            throw LXDError(kind: .invalidResponse, action: action, endpoint: endpoint.description, detail: "LXD gave no fingerprint")
        }
        return fingerprint
    }

    /// An image alias, or `nil` when there is none of that name.
    public func imageAlias(_ name: String) async throws -> LXDImageAlias? {
        try await syncIfPresent(LXDImageAlias.self, LXDPath("images", "aliases", name), action: "reading image alias \(name)")
    }

    public func deleteImageAlias(_ name: String) async throws {
        try await operate(LXDIgnored.self, .DELETE, LXDPath("images", "aliases", name), action: "deleting image alias \(name)")
    }

    /// Deletes an image by fingerprint (its aliases go with it).
    public func deleteImage(fingerprint: String) async throws {
        try await operate(LXDIgnored.self, .DELETE, LXDPath("images", fingerprint), action: "deleting image \(fingerprint.prefix(12))")
    }
}
