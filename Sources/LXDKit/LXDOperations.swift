/// What goldfleet's orchestrator and its gold commands ask of an LXD server: instances and their
/// config, state, files and snapshots, commands inside them, storage pools, images and their
/// aliases, cluster members. `LXDClient` is the production implementation; unit tests of `up`,
/// `down` and `reset` use an in-memory one.
///
/// Implementations keep the client's contracts: a missing instance is `nil` where the call can
/// say so and an `LXDError` of kind `.notFound` otherwise; `instances(matchingConfig:)` returns
/// only instances whose config holds every given key with that value.
public protocol LXDOperations: Sendable {
    /// Where the daemon answers (errors name it; a local socket means the host's own limits apply).
    var endpoint: LXDEndpoint { get }

    /// Throws `LXDUntrustedClient` unless the daemon trusts this client.
    func requireTrusted() async throws
    /// The cluster's members with their status; empty on a standalone daemon.
    func clusterMembers() async throws -> [LXDClusterMember]
    /// Whether `member`'s own daemon answers (a member listed ONLINE may have just gone away).
    func memberAnswers(_ member: String) async -> Bool
    /// The pool with its space (on a cluster, `member`'s copy of it); nil when there is none.
    func storagePool(_ name: String, member: String?) async throws -> LXDStoragePool?
    /// The local image alias; nil when there is none.
    func imageAlias(_ name: String) async throws -> LXDImageAlias?

    /// Every instance whose config holds all of `matchingConfig` (empty: all instances).
    func instances(matchingConfig: [String: String]) async throws -> [LXDInstance]
    /// The instance, or nil when there is none of that name.
    func instance(named name: String) async throws -> LXDInstance?
    /// Creates the instance in one request, with all of its config (on `target` in a cluster).
    func createInstance(_ request: LXDCreateInstance, target: String?) async throws
    func start(_ name: String) async throws
    func stop(_ name: String, force: Bool) async throws
    func delete(_ name: String) async throws
    /// Running state and the addresses of each NIC.
    func state(_ name: String) async throws -> LXDInstanceState
    /// Sets (adds or replaces) the given config keys, leaving the others.
    func updateConfig(_ name: String, set: [String: String]) async throws
    /// The DHCP leases of a managed network (`LXDLeaseBoard` shares them between waiters).
    func networkLeases(_ network: String) async throws -> [LXDNetworkLease]
    /// The names of the instance's snapshots.
    func snapshots(instance: String) async throws -> [String]
    /// A file's contents, following symlinks; throws when there is no such file.
    func readFile(instance: String, path: String) async throws -> [UInt8]
    /// The entry at `path` without following symlinks; nil when nothing is there.
    func fileEntry(instance: String, path: String) async throws -> LXDFileEntry?
    /// Writes a file (created or replaced) with its mode and owner.
    func writeFile(instance: String, path: String, contents: [UInt8], mode: Int, uid: Int, gid: Int) async throws
    /// Deletes a file or an empty directory; nothing happens when it is already gone.
    func deleteFile(instance: String, path: String) async throws

    // What the gold commands add: building, snapshotting and publishing a gold.
    /// Runs a program inside a running instance (no shell unless `command` names one).
    func exec(instance: String, command: [String], environment: [String: String]) async throws -> LXDExecResult
    /// Creates an instance as a copy of a whole (stopped) instance, not of a snapshot.
    func createInstance(copyingInstance source: String, as request: LXDCreateInstance) async throws
    /// Takes a stateless snapshot.
    func createSnapshot(instance: String, name: String) async throws
    /// LXD's architecture name of the instance (`x86_64`).
    func architecture(ofInstance name: String) async throws -> String
    /// Publishes a snapshot as an image without aliases; returns its fingerprint.
    func publishImage(instance: String, snapshot: String, properties: [String: String], compression: String?) async throws -> String
    /// All local images with their aliases and properties.
    func images() async throws -> [LXDImageSummary]
    /// Points the alias `name` at an image, creating or moving it.
    func setImageAlias(_ name: String, fingerprint: String, description: String) async throws
}

extension LXDOperations {
    /// The names in a directory; empty when it does not exist.
    public func directoryEntries(instance: String, path: String) async throws -> [String] {
        if case .directory(let entries) = try await fileEntry(instance: instance, path: path) { return entries }
        return []
    }
}

extension LXDClient: LXDOperations {}
