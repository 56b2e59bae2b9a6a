/// The `user.goldfleet.*` config keys goldfleet sets on every instance it creates, in the create
/// request itself, so nothing it makes is ever untagged. Ownership is decided by these keys
/// alone: an instance without `managed-by` is never stopped, changed or deleted.
public enum InstanceTags {
    public static let managedBy = "user.goldfleet.managed-by"
    public static let environment = "user.goldfleet.environment"
    public static let machine = "user.goldfleet.machine"
    public static let inventory = "user.goldfleet.inventory"
    public static let jujuModel = "user.goldfleet.juju-model"
    /// The juju machine id, recorded once `juju add-machine` succeeded.
    public static let jujuMachine = "user.goldfleet.juju-machine"
    /// The last pipeline step that completed, so a re-run resumes instead of redoing.
    public static let stage = "user.goldfleet.stage"
    /// The wheelhouse digest synced to the machine (`WheelhouseDigest`).
    public static let wheelhouse = "user.goldfleet.wheelhouse"
    /// SHA-256 of the sync manifest goldfleet left in the machine's wheelhouse: a converged
    /// `up` reads that file again (one small read through LXD) to see the wheelhouse is still there.
    public static let wheelhouseManifest = "user.goldfleet.wheelhouse-manifest"
    /// The SSH user's home directory (found by the verify step), where `~` in
    /// `wheelhouse.remote` points.
    public static let home = "user.goldfleet.home"
    /// `stage` once the whole pipeline completed.
    public static let ready = "ready"

    public static let managedByValue = "goldfleet"
    /// `wheelhouse-manifest` when the sync left no manifest (an empty wheelhouse).
    public static let none = "none"

    /// The tags a new instance of `environment` is created with.
    public static func creation(environment: String, machine: String, inventory: String, model: String) -> [String: String] {
        [
            Self.managedBy: managedByValue,
            Self.environment: environment,
            Self.machine: machine,
            Self.inventory: inventory,
            Self.jujuModel: model,
            // LXD copies the source's config: a clone must not claim to be a gold.
            GoldTags.gold: "false",
        ]
    }

    public static func isManaged(_ config: [String: String]) -> Bool {
        config[managedBy] == managedByValue
    }
}
