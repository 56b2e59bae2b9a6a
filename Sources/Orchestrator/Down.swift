import Foundation
import GoldfleetSupport
import Gold
import JujuKit
import LXDKit
import SSHKit

/// What `down` removed.
public struct DownReport: Sendable, Codable, Equatable {
    public struct Removed: Sendable, Codable, Equatable {
        /// The instance removed, or (with a `jujuNote` saying so) one already deleted by someone else.
        public var instance: String
        public var jujuMachine: String?
        /// Why the juju machine was left (`--keep-juju`, or juju's error).
        public var jujuNote: String?
    }
    public var environment: String
    public var removed: [Removed]
    public var failures: [UpReport.Failure]
    /// Instances of this name made from other inventory files, left alone by `down FILE`, by
    /// the inventory that made them.
    public var leftAlone: [String: [String]] = [:]
}

extension Orchestrator {
    /// `goldfleet down NAME|FILE`: removes the juju machines goldfleet registered (unless
    /// `keepJuju`), deletes the environment's tagged instances, and drops their pinned host keys.
    /// Only instances carrying goldfleet's tags for this environment are touched. Idempotent.
    ///
    /// Given the inventory file, only the instances made from it are removed (instances of the
    /// same name from another inventory are left and listed); when it made none of them, `down`
    /// refuses. By name alone, the instances must all come from one inventory, else it refuses
    /// and says how to pick. `adopt` removes them all, whichever inventory made them.
    public func down(environment: String, inventory: String? = nil, keepJuju: Bool = false, adopt: Bool = false) async throws -> DownReport {
        let lock = try EnvironmentLock.acquire(environment: environment, in: state)
        defer { withExtendedLifetime(lock) {} }
        let instances = try await managedInstances(of: environment)
        let ownership = InventoryOwnership(Array(instances.values))
        var targets = Array(instances.values)
        var leftAlone: [String: [String]] = [:]
        // The inventory whose last `up` report may name orphaned juju machines (nil: any).
        var owner: String?
        if !adopt, let inventory = inventory.map(InventoryOwnership.canonicalPath) {
            let own = Set(ownership.made(from: inventory))
            leftAlone = ownership.foreign(to: inventory)
            if own.isEmpty && !leftAlone.isEmpty {
                throw InventoryMismatch(environment: environment, inventory: inventory, owners: leftAlone, command: "down")
            }
            targets = targets.filter { own.contains($0.name) }
            owner = inventory
        } else if !adopt {
            if ownership.owners.count > 1 {
                throw InventoryMismatch(environment: environment, inventory: nil, owners: ownership.owners, command: "down")
            }
            owner = ownership.owners.keys.first.flatMap { $0.isEmpty ? nil : $0 }
        }
        var report = await remove(targets, environment: environment, keepJuju: keepJuju)
        report.leftAlone = leftAlone
        if !keepJuju {
            let (removed, failures) = await removeOrphanedJujuMachines(environment: environment, present: Set(instances.keys), owner: owner)
            report.removed += removed
            report.failures += failures
        }
        return report
    }

    /// Juju machines whose instance someone deleted behind goldfleet's back: the instance and its
    /// tags are gone, but the last `up` report still names them. A machine is removed only when
    /// juju still has that id with the recorded address, and the report is `owner`'s (when
    /// given), so nothing else is ever touched.
    private func removeOrphanedJujuMachines(environment: String, present: Set<String>, owner: String?) async -> ([DownReport.Removed], [UpReport.Failure]) {
        guard let text = try? Data(contentsOf: URL(fileURLWithPath: state.report(for: environment))),
              let last = try? JSONDecoder().decode(UpReport.self, from: text) else { return ([], []) }
        if let owner, let made = last.inventory, InventoryOwnership.canonicalPath(made) != owner { return ([], []) }
        let orphans = last.machines.filter { !present.contains($0.name) && $0.jujuMachine != nil && $0.ipv4 != nil }
        guard !orphans.isEmpty else { return ([], []) }
        let model = juju.inModel(last.model)
        let known: [JujuMachine]
        do { known = try await model.machines() } catch let error as JujuError where error.reason == .notFound {
            return ([], [])  // the model itself is gone, and its machines with it
        } catch {
            return ([], [.init(step: "juju machines", message: MachineFailure.text(of: error), hint: MachineFailure.hint(for: error))])
        }
        var removed: [DownReport.Removed] = []
        var failures: [UpReport.Failure] = []
        for orphan in orphans {
            guard let id = orphan.jujuMachine, let ipv4 = orphan.ipv4,
                  known.contains(where: { $0.id == id && $0.matches(host: ipv4) }) else { continue }
            do {
                try await model.removeMachine(id, force: true, version: nil)
            } catch {
                failures.append(.init(step: "remove-machine", message: "\(orphan.name) (already deleted): juju machine \(id): \(MachineFailure.text(of: error))",
                                      hint: MachineFailure.hint(for: error)))
                continue
            }
            dropHostKeys(of: orphan.name, environment: environment, addresses: [ipv4], instanceKeys: [])
            removed.append(.init(instance: orphan.name, jujuMachine: id, jujuNote: "instance was already deleted; juju machine removed"))
        }
        return (removed, failures)
    }

    /// Removes the given managed instances (and their juju machines): `down` and `reset`.
    func remove(_ instances: [LXDInstance], environment: String, keepJuju: Bool) async -> DownReport {
        let results = await mapConcurrently(
            instances.sorted { $0.name < $1.name }, limit: options.parallel,
            whenCancelled: { instance in (DownReport.Removed(instance: instance.name), UpReport.Failure?.some(.init(step: "delete", message: "\(instance.name): interrupted", hint: "run `goldfleet down \(environment)` again"))) }
        ) { instance in
            await self.removeOne(instance, environment: environment, keepJuju: keepJuju)
        }
        return DownReport(
            environment: environment,
            removed: results.filter { $0.1 == nil }.map(\.0),
            failures: results.compactMap(\.1))
    }

    private func removeOne(_ instance: LXDInstance, environment: String, keepJuju: Bool) async -> (DownReport.Removed, UpReport.Failure?) {
        // Belt and braces: the listing already filtered on the tags.
        guard InstanceTags.isManaged(instance.config), instance.config[InstanceTags.environment] == environment else {
            return (.init(instance: instance.name), .init(step: "delete", message: "\(instance.name) is not goldfleet's; left untouched", hint: nil))
        }
        var removed = DownReport.Removed(instance: instance.name, jujuMachine: instance.config[InstanceTags.jujuMachine])
        if let id = removed.jujuMachine {
            if keepJuju {
                removed.jujuNote = "kept (--keep-juju)"
            } else {
                let model = instance.config[InstanceTags.jujuModel] ?? juju.model
                do {
                    try await juju.inModel(model).removeMachine(id, force: true, version: nil)
                } catch let error as JujuError where error.reason == .notFound {
                    removed.jujuNote = "already gone from juju"
                } catch {
                    removed.jujuNote = "juju remove-machine failed: \(MachineFailure.text(of: error))"
                }
            }
        }
        var addresses: [String] = []
        var instanceKeys: [SSHHostKey] = []
        do {
            if let state = try? await lxd.state(instance.name) { addresses = state.ipv4Addresses }
            instanceKeys = await hostKeys(of: instance.name)
            if instance.isRunning { try await lxd.stop(instance.name, force: true) }
            try await lxd.delete(instance.name)
        } catch let error as LXDError where error.kind == .notFound {
            // Deleted by someone else meanwhile: the goal is reached.
        } catch {
            return (removed, .init(step: "delete", message: "\(instance.name): \(MachineFailure.text(of: error))", hint: MachineFailure.hint(for: error)))
        }
        dropHostKeys(of: instance.name, environment: environment, addresses: addresses, instanceKeys: instanceKeys)
        return (removed, nil)
    }

    /// Forgets a removed instance's host keys. goldfleet's own file loses every line for the
    /// instance's addresses. The file juju's ssh reads is shared with the user, so there only
    /// goldfleet's labelled lines go, plus entries for the addresses whose key is one of the
    /// instance's host keys (pinned, or read from the instance before deleting it): OpenSSH's
    /// `UpdateHostKeys` adds those, hashed, when juju's ssh logs in, and left behind they make
    /// the next machine on that address fail with "REMOTE HOST IDENTIFICATION HAS CHANGED".
    /// Entries for the address with other keys are the user's and stay.
    private func dropHostKeys(of instance: String, environment: String, addresses: [String], instanceKeys: [SSHHostKey]) {
        let label = KnownHostsFile.label(environment: environment, instance: instance)
        let own = KnownHostsFile(path: state.knownHosts(for: environment))
        let pinned = (try? own.entries(label: label)) ?? []
        let allAddresses = Array(Set(addresses + pinned.map { $0.host })).sorted()
        var keys = instanceKeys + pinned.map { $0.key }
        for address in allAddresses { keys += (try? own.keys(host: address)) ?? [] }
        for address in allAddresses { try? own.remove(host: address) }
        if let jujuKnownHosts = options.jujuKnownHosts {
            try? KnownHostsFile(path: jujuKnownHosts).removeInstance(label: label, addresses: allAddresses, instanceKeys: keys)
        }
    }

    /// The instance's SSH host keys, read through LXD; none when it cannot be read.
    private func hostKeys(of instance: String) async -> [SSHHostKey] {
        var keys: [SSHHostKey] = []
        for type in ["ed25519", "ecdsa", "rsa"] {
            guard let bytes = try? await lxd.readFile(instance: instance, path: "/etc/ssh/ssh_host_\(type)_key.pub"),
                  let key = try? SSHHostKey(openSSHLine: String(decoding: bytes, as: UTF8.self)) else { continue }
            keys.append(key)
        }
        return keys
    }
}
