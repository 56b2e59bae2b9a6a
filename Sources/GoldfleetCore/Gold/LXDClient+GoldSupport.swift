import Foundation

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

/// What the gold commands need beyond the general LXD client: raw file entries (to see a masked
/// unit's link or list a directory), image listing, and creating or moving an image alias.
extension LXDClient {
    /// The entry at `path` without following symlinks; `nil` when nothing is there. Works on
    /// stopped instances, which is how `doctor` reads a gold without booting it.
    public func fileEntry(instance: String, path: String) async throws -> LXDFileEntry? {
        let action = "reading \(path) in instance \(instance)"
        let response = try await perform(.GET, LXDPath("instances", instance, "files"), query: [("path", path)], action: action)
        if response.status == 404 { return nil }
        if response.status >= 400 {
            do {
                _ = try decode(LXDIgnored.self, from: response, action: action)
            } catch let error as LXDError where error.kind == .notFound {
                return nil
            }
        }
        switch response.headers["x-lxd-type"] ?? "file" {
        case "symlink":
            return .symlink(target: String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        case "directory":
            let names = try decode([String].self, from: response, action: action).metadata ?? []
            return .directory(entries: names.sorted())
        default:
            return .file(response.body)
        }
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

    /// LXD's architecture name of an instance (`x86_64`, `aarch64`).
    public func architecture(ofInstance name: String) async throws -> String {
        struct Architecture: Decodable, Sendable { var architecture: String }
        return try await sync(Architecture.self, LXDPath("instances", name), action: "reading instance \(name)").architecture
    }

    /// Creates `request.name` as a copy of a whole (stopped) instance rather than a snapshot,
    /// which `LXDCreateInstance.Source` does not express; the tags and profiles rules are the
    /// same. Only the instance is copied, not its snapshots.
    public func createInstance(copyingInstance source: String, as request: LXDCreateInstance) async throws {
        struct Source: Encodable {
            var type = "copy"
            var source: String
            var instanceOnly = true
            enum CodingKeys: String, CodingKey { case type, source, instanceOnly = "instance_only" }
        }
        struct Body: Encodable {
            var name: String
            var type: String
            var source: Source
            var profiles: [String]
            var config: [String: String]
            var devices: [String: [String: String]]?
        }
        let base = request.body
        let body = Body(name: base.name, type: base.type, source: Source(source: source), profiles: base.profiles, config: base.config,
                        devices: base.devices)
        let action = "creating instance \(request.name) from instance \(source)"
        guard request.isTagged else {
            throw LXDError(kind: .invalidRequest, action: action, endpoint: endpoint.description,
                           detail: "the request has no \(LXDCreateInstance.tagPrefix)* config key; goldfleet creates nothing untagged")
        }
        try await operate(LXDIgnored.self, .POST, LXDPath("instances"), body: .encode(body), action: action)
    }
}

extension LXDClient {
    /// Deletes a file (or an empty directory) inside an instance; nothing happens when it is
    /// already gone. Works on stopped instances.
    public func deleteFile(instance: String, path: String) async throws {
        let action = "deleting \(path) in instance \(instance)"
        let response = try await perform(.DELETE, LXDPath("instances", instance, "files"), query: [("path", path)], action: action)
        if response.status == 404 { return }
        do {
            _ = try decode(LXDIgnored.self, from: response, action: action)
        } catch let error as LXDError where error.kind == .notFound {
            return
        }
    }
}

extension LXDClient {
    /// Publishes an instance's snapshot as a local image without aliases and returns its
    /// fingerprint. Unlike `publish(instance:snapshot:aliases:properties:compression:)` it
    /// tolerates the progress-only metadata LXD reports while a slow publish is still running
    /// (seen on a busy host: the long poll returns before the image exists).
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
}
