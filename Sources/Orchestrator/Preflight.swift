import Foundation
import Gold
import Inventory
import LXDKit

extension Orchestrator {
    /// Checks, before anything is created, that the host can carry the plan. Throws for what
    /// would fail (all problems in one error); returns warnings for what would only be slow.
    func preflight(_ inventory: Inventory, existing: [LXDInstance], placement: MemberPlacement?) async throws -> [String] {
        var problems: [String] = []
        var warnings: [String] = []

        // Never overwrite or adopt an instance goldfleet does not own for this environment.
        let byName = Dictionary(existing.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for spec in inventory.machines {
            guard let instance = byName[spec.instanceName] else { continue }
            // On an offline cluster member LXD lists the instance in state Error without its
            // config: unknown, not foreign. Placement fails that machine with the member's name.
            if instance.status == "Error" && instance.config.isEmpty && instance.member != nil { continue }
            if !InstanceTags.isManaged(instance.config) {
                problems.append("instance `\(spec.instanceName)` already exists and was not created by goldfleet; goldfleet never adopts, changes or deletes it — rename the environment or the machine `\(spec.group)`, or remove that instance yourself")
            } else if let owner = instance.config[InstanceTags.environment], owner != inventory.name {
                problems.append("instance `\(spec.instanceName)` belongs to goldfleet environment `\(owner)` — rename this environment or run `goldfleet down \(owner)`")
            }
        }

        let pool = inventory.lxd.pool
        if let found = try await lxd.storagePool(pool, member: nil) {
            if !found.isCopyOnWrite {
                warnings.append("storage pool `\(pool)` uses the `\(found.driver)` driver: every clone copies the whole filesystem (seconds per machine); a btrfs or zfs pool clones in a fraction of a second (`lxc storage create fast btrfs`)")
            }
            let newMachines = PoolSpaceCheck.newMachines(inventory.machines, existing: Set(byName.keys), placement: placement)
            for (member, count) in newMachines.sorted(by: { ($0.key ?? "") < ($1.key ?? "") }) {
                // On a cluster, the space of that member's copy of the pool.
                let space = member == nil ? found.space : try await lxd.storagePool(pool, member: member)?.space
                guard let space, space.total > 0 else { continue }
                if let problem = PoolSpaceCheck.problem(pool: pool, member: member, free: space.free, newMachines: count, copyOnWrite: found.isCopyOnWrite) {
                    problems.append(problem)
                }
            }
        } else {
            problems.append("storage pool `\(pool)` does not exist — set `lxd.pool` in the inventory to one listed by `lxc storage list`, or create it (scripts/lab makes `default`)")
        }

        switch inventory.gold {
        case .snapshot(let instance, let snapshot):
            let missing = byName[instance] == nil ? "instance `\(instance)`" : nil
            if let missing {
                problems.append("gold source \(instance)/\(snapshot): \(missing) does not exist — build it (`scripts/lab` or `goldfleet gold build`) or fix `gold` in the inventory")
            } else if !(try await lxd.snapshots(instance: instance)).contains(snapshot) {
                problems.append("gold source \(instance)/\(snapshot): the snapshot does not exist — take it with `goldfleet gold snapshot \(instance)` or fix `gold` in the inventory")
            } else if inventory.machines.contains(where: { byName[$0.instanceName] == nil }) {
                // The cheap part of `gold doctor` (a few file reads, no boot): a gold that would
                // give every clone the same machine-id or host keys is refused before cloning.
                for check in try await GoldDoctor.quickChecks(lxd: lxd, gold: instance) where check.status == .failed {
                    problems.append("gold \(instance): \(check.name): \(check.detail)" + (check.fix.map { " — fix: \($0)" } ?? ""))
                }
            }
        case .image(let alias):
            if try await lxd.imageAlias(alias) == nil {
                problems.append("gold image alias `\(alias)` does not exist — publish it with `goldfleet gold publish GOLD/SNAPSHOT`, or fix `gold` in the inventory")
            }
        }

        if case .unixSocket = lxd.endpoint {
            let running = existing.filter(\.isRunning).count
            let newOnes = inventory.machines.filter { byName[$0.instanceName] == nil }.count
            let limits = HostLimits.current().problems(forContainers: running + newOnes)
            if !limits.isEmpty {
                problems.append(contentsOf: limits.map { "host limit: \($0) — fix: \(HostLimits.fix)" })
            }
        }

        guard problems.isEmpty else {
            throw OrchestratorError(
                "`\(inventory.name)` cannot be brought up on this host:\n" + problems.map { "  - \($0)" }.joined(separator: "\n"),
                hint: "nothing was created; fix the problems above and run `goldfleet up` again")
        }
        return warnings
    }
}
