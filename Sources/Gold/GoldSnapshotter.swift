import LXDKit

/// `goldfleet gold snapshot`: takes the next `snapN` of a stopped gold.
public enum GoldSnapshotter {
    public struct Result: Sendable, Equatable {
        public var snapshot: String
        /// Cheap clone-safety checks of what the snapshot holds.
        public var checks: [GoldCheck]
    }

    /// Refuses a running gold: its snapshot would carry the running system's machine-id.
    public static func snapshot(lxd: any LXDOperations, gold: String) async throws -> Result {
        guard let instance = try await lxd.instance(named: gold) else {
            throw GoldError("gold `\(gold)` does not exist on this LXD", hint: "`goldfleet gold list` shows the golds")
        }
        guard !instance.isRunning else {
            throw GoldError("gold `\(gold)` is running; a snapshot of it would carry its machine-id and host keys into every clone",
                            hint: "make it clone-safe and stop it first (`lxc stop \(gold)`), or rebuild it with `goldfleet gold build --replace`")
        }
        let name = GoldSnapshotName.next(after: try await lxd.snapshots(instance: gold))
        try await lxd.createSnapshot(instance: gold, name: name)
        return Result(snapshot: name, checks: try await GoldDoctor.quickChecks(lxd: lxd, gold: gold))
    }
}
