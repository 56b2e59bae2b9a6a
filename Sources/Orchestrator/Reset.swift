import Inventory

extension Orchestrator {
    /// `goldfleet reset NAME [MACHINE…]`: brings machines back to freshly provisioned in
    /// seconds. On a copy-on-write pool a new clone is as fast as a snapshot restore and leaves
    /// nothing of the old machine behind, so reset removes the machines (and their juju
    /// machines) and converges again: new clone, wheelhouse, `add-machine`, and the units the
    /// inventory places there.
    /// Instances of this name made from another inventory file stop it before anything is
    /// touched, unless `adopt`.
    public func reset(_ inventory: Inventory, machines names: [String], adopt: Bool = false) async throws -> UpReport {
        let lock = try EnvironmentLock.acquire(environment: inventory.name, in: state)
        defer { withExtendedLifetime(lock) {} }
        let instances = try await managedInstances(of: inventory.name)
        _ = try InventoryOwnership(Array(instances.values)).requireOwned(
            by: InventoryOwnership.canonicalPath(inventory.sourceFile), environment: inventory.name,
            command: "reset", adopt: adopt)
        let selected = names.isEmpty ? Array(instances.keys) : try names.map { name in
            // Accept the instance name or the short `group-index` form.
            let full = instances[name] != nil ? name : "\(inventory.name)-\(name)"
            guard instances[full] != nil else {
                throw OrchestratorError("`\(name)` is not a machine of environment `\(inventory.name)`",
                                        hint: "machines are: \(instances.keys.sorted().joined(separator: ", "))")
            }
            return full
        }
        let removal = await remove(selected.compactMap { instances[$0] }, environment: inventory.name, keepJuju: false)
        if let failure = removal.failures.first {
            throw OrchestratorError("reset could not remove \(failure.message)", hint: failure.hint)
        }
        return try await converge(inventory, only: Set(selected), adopt: adopt)
    }
}
