extension LXDClient {
    /// Publishes an instance's snapshot as a local image without aliases (`setImageAlias` points
    /// them after) and returns its fingerprint. `compression` is LXD's `compression_algorithm`
    /// (`none` skips the slow gzip); `nil` uses the daemon's default. Tolerates the progress-only
    /// metadata LXD reports while a slow publish is still running (seen on a busy host: the long
    /// poll returns before the image exists).
    public func publishImage(instance: String, snapshot: String, properties: [String: String], compression: String?) async throws -> String {
        let action = "publishing \(instance)/\(snapshot) as an image"
        struct Request: Encodable {
            struct Source: Encodable { var type = "snapshot"; var name: String }
            var source: Source
            var properties: [String: String]
            var compressionAlgorithm: String?
            enum CodingKeys: String, CodingKey { case source, properties, compressionAlgorithm = "compression_algorithm" }
        }
        struct Published: Decodable, Sendable { var fingerprint: String? }
        let request = Request(source: .init(name: "\(instance)/\(snapshot)"), properties: properties, compressionAlgorithm: compression)
        let operation = try await operate(Published.self, .POST, LXDPath("images"), body: .encode(request), action: action, deadline: .seconds(1800))
        guard let fingerprint = operation?.metadata?.fingerprint, !fingerprint.isEmpty else {
            throw LXDError(kind: .invalidResponse, action: action, endpoint: endpoint.description, detail: "LXD gave no fingerprint")
        }
        return fingerprint
    }

    /// All local images with their aliases and properties.
    public func images() async throws -> [LXDImageSummary] {
        try await sync([LXDImageSummary].self, LXDPath("images"), query: [("recursion", "1")], action: "listing images")
    }

    /// Points `name` at the image `fingerprint`: moves the alias in one request when it exists
    /// (so it is never missing in between), creates it otherwise.
    public func setImageAlias(_ name: String, fingerprint: String, description: String = "") async throws {
        struct Move: Encodable { var target: String; var description: String }
        struct Create: Encodable { var name: String; var target: String; var description: String }
        if try await imageAlias(name) != nil {
            try await operate(LXDIgnored.self, .PUT, LXDPath("images", "aliases", name),
                              body: .encode(Move(target: fingerprint, description: description)),
                              action: "moving image alias \(name) to image \(fingerprint.prefix(12))")
        } else {
            try await operate(LXDIgnored.self, .POST, LXDPath("images", "aliases"),
                              body: .encode(Create(name: name, target: fingerprint, description: description)),
                              action: "creating image alias \(name) for image \(fingerprint.prefix(12))")
        }
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
