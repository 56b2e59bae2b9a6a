import Foundation
@testable import LXDKit
@testable import Orchestrator

/// An LXD server in memory: instances with config, status, files and snapshots, storage pools
/// and image aliases. It keeps LXD's contracts, not goldfleet's expectations: a copy takes the
/// source snapshot's config and files, a running instance cannot be deleted, a missing instance
/// is `notFound`. A started instance gets an address from 192.0.2.0/24 (TEST-NET-1: never
/// reached) and, on its first start, the files `firstBoot` says its init writes.
actor FakeLXD: LXDOperations {
    struct Instance: Sendable {
        var name: String
        var status = "Stopped"
        var config: [String: String] = [:]
        var profiles: [String] = ["default"]
        var location = "none"
        var files: [String: LXDFileEntry] = [:]
        var snapshots: [String: Snapshot] = [:]
        var ipv4: String?
        var booted = false
    }

    struct Snapshot: Sendable {
        var config: [String: String]
        var files: [String: LXDFileEntry]
    }

    /// The calls `fail(_:for:)` can make fail.
    enum Call: String, Sendable {
        case create, start, stop, delete, state, updateConfig, readFile
    }

    nonisolated let endpoint = LXDEndpoint.https(LXDRemote(
        url: "https://lxd.invalid:8443", clientCertificatePath: "/nonexistent/client.crt", clientKeyPath: "/nonexistent/client.key"))

    private(set) var instances: [String: Instance] = [:]
    var pools: [String: LXDStoragePool] = [
        "default": LXDStoragePool(name: "default", driver: "btrfs", status: "Created",
                                  space: .init(used: 1 << 30, total: 100 << 30)),
    ]
    var aliases: [String: LXDImageAlias] = [:]
    private(set) var publishedImages: [LXDImageSummary] = []
    /// The files an instance's init writes on its first start (e.g. `ssh-keygen -A`), by instance
    /// name and address.
    private var firstBoot: @Sendable (_ instance: String, _ ipv4: String) -> [String: LXDFileEntry] = { _, _ in [:] }
    private var failures: [String: any Error] = [:]
    private var nextAddress = 10
    /// Every instance ever created, in order.
    private(set) var created: [String] = []
    /// Every instance ever deleted, in order.
    private(set) var deleted: [String] = []

    func put(_ instance: Instance) { instances[instance.name] = instance }

    func onFirstBoot(_ files: @escaping @Sendable (_ instance: String, _ ipv4: String) -> [String: LXDFileEntry]) {
        firstBoot = files
    }

    /// Makes `call` for `instance` fail with `error` (an LXD error by default) until cleared.
    func fail(_ call: Call, for instance: String, with error: (any Error)? = nil) {
        failures["\(call.rawValue) \(instance)"] = error ?? LXDError(
            kind: .failed, action: "\(call.rawValue) \(instance)", endpoint: endpoint.description,
            lxdMessage: "injected failure")
    }

    func takeSnapshot(of instance: String, as snapshot: String) throws {
        let current = try existing(instance, "snapshotting")
        instances[instance]?.snapshots[snapshot] = Snapshot(config: current.config, files: current.files)
    }

    // MARK: LXDOperations

    func requireTrusted() async throws {}
    func clusterMembers() async throws -> [LXDClusterMember] { [] }
    func memberAnswers(_ member: String) async -> Bool { false }
    func storagePool(_ name: String, member: String?) async throws -> LXDStoragePool? { pools[name] }
    func imageAlias(_ name: String) async throws -> LXDImageAlias? { aliases[name] }
    func networkLeases(_ network: String) async throws -> [LXDNetworkLease] { [] }

    func instances(matchingConfig required: [String: String]) async throws -> [LXDInstance] {
        instances.values.map(Self.listed).filter { $0.matches(config: required) }.sorted { $0.name < $1.name }
    }

    func instance(named name: String) async throws -> LXDInstance? {
        instances[name].map(Self.listed)
    }

    func createInstance(_ request: LXDCreateInstance, target: String?) async throws {
        let action = "creating instance \(request.name)"
        try injected(.create, request.name)
        guard instances[request.name] == nil else {
            throw LXDError(kind: .alreadyExists, action: action, endpoint: endpoint.description, lxdMessage: "Instance \"\(request.name)\" already exists")
        }
        var instance = Instance(name: request.name, profiles: request.profiles, location: target ?? "none")
        switch request.source {
        case .copy(let source, let snapshot):
            guard let copied = instances[source]?.snapshots[snapshot] else {
                throw LXDError(kind: .notFound, action: action, endpoint: endpoint.description, lxdMessage: "Instance not found")
            }
            // LXD copies the source's config (minus its volatile keys); the request's keys win.
            instance.config = copied.config.filter { !$0.key.hasPrefix("volatile.") }
            instance.files = copied.files
        case .image(let alias):
            guard aliases[alias] != nil else {
                throw LXDError(kind: .imageAliasMissing, action: action, endpoint: endpoint.description, lxdMessage: "Image not found")
            }
        case .remoteImage:
            break
        }
        instance.config.merge(request.config) { $1 }
        instances[request.name] = instance
        created.append(request.name)
    }

    func start(_ name: String) async throws {
        var instance = try existing(name, "starting")
        try injected(.start, name)
        guard !instance.isRunning else {
            throw LXDError(kind: .failed, action: "starting instance \(name)", endpoint: endpoint.description, lxdMessage: "The instance is already running")
        }
        instance.status = "Running"
        if instance.ipv4 == nil {
            instance.ipv4 = "192.0.2.\(nextAddress)"
            nextAddress += 1
        }
        if !instance.booted {
            instance.booted = true
            instance.files.merge(firstBoot(name, instance.ipv4!)) { $1 }
        }
        instances[name] = instance
    }

    func stop(_ name: String, force: Bool) async throws {
        let instance = try existing(name, "stopping")
        try injected(.stop, name)
        guard instance.isRunning else {
            throw LXDError(kind: .failed, action: "stopping instance \(name)", endpoint: endpoint.description, lxdMessage: "The instance is already stopped")
        }
        instances[name]?.status = "Stopped"
    }

    func delete(_ name: String) async throws {
        let instance = try existing(name, "deleting")
        try injected(.delete, name)
        guard !instance.isRunning else {
            throw LXDError(kind: .failed, action: "deleting instance \(name)", endpoint: endpoint.description, lxdMessage: "Instance is running")
        }
        instances[name] = nil
        deleted.append(name)
    }

    func state(_ name: String) async throws -> LXDInstanceState {
        let instance = try existing(name, "reading the state of")
        try injected(.state, name)
        var network: [String: LXDNetworkInterface] = [:]
        if instance.isRunning, let ipv4 = instance.ipv4 {
            network["eth0"] = LXDNetworkInterface(addresses: [
                LXDAddress(family: "inet", address: ipv4, netmask: "24", scope: "global"),
            ])
        }
        return LXDInstanceState(status: instance.status, statusCode: instance.isRunning ? 103 : 102, network: network)
    }

    func updateConfig(_ name: String, set: [String: String]) async throws {
        _ = try existing(name, "updating")
        try injected(.updateConfig, name)
        instances[name]?.config.merge(set) { $1 }
    }

    func snapshots(instance: String) async throws -> [String] {
        try existing(instance, "listing snapshots of").snapshots.keys.sorted()
    }

    func readFile(instance name: String, path: String) async throws -> [UInt8] {
        let instance = try existing(name, "reading \(path) in")
        try injected(.readFile, name)
        var current = path
        for _ in 0..<16 {
            switch Self.entry(current, in: instance.files) {
            case .file(let bytes)?: return bytes
            case .symlink(let target)?: current = LXDClient.resolve(link: target, from: current)
            case .directory?:
                throw LXDError(kind: .invalidRequest, action: "reading \(path) in instance \(name)", endpoint: endpoint.description, detail: "\(current) is a directory")
            case nil:
                throw LXDError(kind: .notFound, action: "reading \(path) in instance \(name)", endpoint: endpoint.description, lxdMessage: "Not Found")
            }
        }
        throw LXDError(kind: .failed, action: "reading \(path) in instance \(name)", endpoint: endpoint.description, detail: "too many levels of symbolic links")
    }

    func fileEntry(instance name: String, path: String) async throws -> LXDFileEntry? {
        guard let instance = instances[name] else { return nil }
        return Self.entry(path, in: instance.files)
    }

    func writeFile(instance name: String, path: String, contents: [UInt8], mode: Int, uid: Int, gid: Int) async throws {
        _ = try existing(name, "writing \(path) in")
        instances[name]?.files[path] = .file(contents)
    }

    func deleteFile(instance name: String, path: String) async throws {
        _ = try existing(name, "deleting \(path) in")
        instances[name]?.files[path] = nil
    }

    /// The fake runs no programs: a test that reaches here needs the real daemon.
    func exec(instance name: String, command: [String], environment: [String: String]) async throws -> LXDExecResult {
        _ = try existing(name, "running \(command.first ?? "") in")
        throw LXDError(kind: .failed, action: "running \(command.joined(separator: " ")) in instance \(name)",
                       endpoint: endpoint.description, detail: "FakeLXD runs no programs")
    }

    func createInstance(copyingInstance source: String, as request: LXDCreateInstance) async throws {
        let original = try existing(source, "copying")
        guard instances[request.name] == nil else {
            throw LXDError(kind: .alreadyExists, action: "creating instance \(request.name)", endpoint: endpoint.description, lxdMessage: "Instance \"\(request.name)\" already exists")
        }
        instances[request.name] = Instance(name: request.name, config: original.config.filter { !$0.key.hasPrefix("volatile.") }.merging(request.config) { $1 },
                                           profiles: request.profiles, files: original.files)
        created.append(request.name)
    }

    func createSnapshot(instance: String, name: String) async throws {
        try takeSnapshot(of: instance, as: name)
    }

    func architecture(ofInstance name: String) async throws -> String {
        _ = try existing(name, "reading")
        return "x86_64"
    }

    func publishImage(instance: String, snapshot: String, properties: [String: String], compression: String?) async throws -> String {
        guard try existing(instance, "publishing").snapshots[snapshot] != nil else {
            throw LXDError(kind: .notFound, action: "publishing \(instance)/\(snapshot)", endpoint: endpoint.description, lxdMessage: "Snapshot not found")
        }
        let fingerprint = String(repeating: String(format: "%02x", publishedImages.count + 1), count: 32)
        publishedImages.append(LXDImageSummary(fingerprint: fingerprint, aliases: [], properties: properties, architecture: "x86_64"))
        return fingerprint
    }

    func images() async throws -> [LXDImageSummary] {
        publishedImages.map { image in
            var image = image
            image.aliases = aliases.filter { $0.value.target == image.fingerprint }.keys.sorted().map { .init(name: $0) }
            return image
        }
    }

    func setImageAlias(_ name: String, fingerprint: String, description: String) async throws {
        aliases[name] = LXDImageAlias(name: name, target: fingerprint)
    }

    // MARK: Model

    /// A stored entry, or a directory holding stored entries below it.
    private static func entry(_ path: String, in files: [String: LXDFileEntry]) -> LXDFileEntry? {
        if let entry = files[path] { return entry }
        let prefix = path.hasSuffix("/") ? path : path + "/"
        let children = Set(files.keys.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count).split(separator: "/")[0]) })
        return children.isEmpty ? nil : .directory(entries: children.sorted())
    }

    private static func listed(_ instance: Instance) -> LXDInstance {
        LXDInstance(name: instance.name, status: instance.status, location: instance.location,
                    config: instance.config, profiles: instance.profiles)
    }

    private func existing(_ name: String, _ doing: String) throws -> Instance {
        guard let instance = instances[name] else {
            throw LXDError(kind: .notFound, action: "\(doing) instance \(name)", endpoint: endpoint.description, lxdMessage: "Instance not found")
        }
        return instance
    }

    private func injected(_ call: Call, _ name: String) throws {
        if let error = failures["\(call.rawValue) \(name)"] { throw error }
    }
}

extension FakeLXD.Instance {
    var isRunning: Bool { status == "Running" }
}
