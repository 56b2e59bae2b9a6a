import Foundation
import Gold
import Inventory
import JujuKit
import LXDKit

extension Orchestrator {
    /// The drift of `inventory` read from the live state, read-only: LXD's instances of the
    /// environment, `juju status` of its model, and the applications its last `up` recorded.
    /// What could not be read is named in `unread` (`plan` says so; `up --prune` then removes
    /// nothing).
    public func drift(of inventory: Inventory) async -> Drift {
        let instances: [LXDInstance]
        do {
            instances = try await lxd.instances(matchingConfig: [
                InstanceTags.managedBy: InstanceTags.managedByValue, InstanceTags.environment: inventory.name,
            ])
        } catch {
            return Drift(unread: ["LXD instances: \(MachineFailure.text(of: error))"])
        }
        var unread: [String] = []
        var status: JujuStatus?
        do {
            status = try await juju.status()
        } catch let error as JujuError where error.reason == .notFound && error.jujuMessage.contains("model") {
            status = JujuStatus()  // no model yet: juju holds nothing of the environment
        } catch {
            unread.append("juju status: \(MachineFailure.text(of: error))")
        }
        return Drift.of(inventory, instances: instances, status: status,
                        recordedApplications: recordedApplications(of: inventory), unread: unread)
    }

    /// The applications the last `up` of this inventory file recorded as goldfleet's; nil when
    /// the last report is another inventory's or has no such record.
    func recordedApplications(of inventory: Inventory) -> [String]? {
        guard let data = FileManager.default.contents(atPath: state.report(for: inventory.name)),
              let last = try? JSONDecoder().decode(UpReport.self, from: data),
              let made = last.inventory,
              InventoryOwnership.canonicalPath(made) == InventoryOwnership.canonicalPath(inventory.sourceFile)
        else { return nil }
        return last.applications
    }

    /// `up --prune`: removes exactly `drift`, in juju's order: units, then applications, then
    /// the juju machines (`--force`: juju removes units asynchronously), then the instances and
    /// their known_hosts lines. An instance whose juju machine could not be removed is kept, so
    /// the next `up --prune` still finds the machine recorded on it. Returns what was removed.
    func prune(_ drift: Drift, inventory: Inventory, version: JujuVersion) async -> (removed: Drift, failures: [UpReport.Failure]) {
        guard drift.unread.isEmpty else {
            return (Drift(), [.init(step: "prune", message: "nothing pruned: could not read " + drift.unread.joined(separator: "; "),
                                    hint: "fix that and run `goldfleet up --prune` again")])
        }
        var removed = Drift()
        var failures: [UpReport.Failure] = []
        /// Runs one removal; true when done (or already gone).
        func attempt(_ command: String, _ body: () async throws -> Void) async -> Bool {
            guard !Task.isCancelled else {
                failures.append(.init(step: "prune", message: "interrupted before `\(command)`", hint: "run `goldfleet up --prune` again"))
                return false
            }
            progress.report(.note(command))
            do {
                try await body()
                return true
            } catch let error as JujuError where error.reason == .notFound || error.jujuMessage.contains("does not exist") {
                return true
            } catch {
                failures.append(.init(step: "prune", message: "\(command): \(MachineFailure.text(of: error))", hint: MachineFailure.hint(for: error)))
                return false
            }
        }
        for unit in drift.jujuUnits {
            if await attempt("juju remove-unit \(unit)", { try await juju.removeUnit(unit, version: version) }) {
                removed.jujuUnits.append(unit)
            }
        }
        for application in drift.jujuApplications {
            if await attempt("juju remove-application \(application)", { try await juju.removeApplication(application, force: false, version: version) }) {
                removed.jujuApplications.append(application)
            }
        }
        var kept: Set<String> = []
        for instance in drift.instances {
            guard let id = instance.jujuMachine, drift.jujuMachines.contains(id) else { continue }
            if await attempt("juju remove-machine \(id) --force", { try await juju.removeMachine(id, force: true, version: version) }) {
                removed.jujuMachines.append(id)
            } else {
                kept.insert(instance.name)
            }
        }

        // Listed again: only instances still tagged as this environment's and this inventory's go.
        let owner = InventoryOwnership.canonicalPath(inventory.sourceFile)
        let current: [String: LXDInstance]
        do { current = try await managedInstances(of: inventory.name) } catch {
            failures.append(.init(step: "prune", message: "could not list LXD instances: \(MachineFailure.text(of: error))", hint: MachineFailure.hint(for: error)))
            return (removed, failures)
        }
        let targets = drift.instances.filter { !kept.contains($0.name) }.compactMap { current[$0.name] }
            .filter { $0.config[InstanceTags.inventory].map(InventoryOwnership.canonicalPath) == owner }
        for target in targets { progress.report(.note("delete \(target.name)")) }
        let deleted = await remove(targets, environment: inventory.name, keepJuju: true)
        failures += deleted.failures.map { UpReport.Failure(step: "prune", message: $0.message, hint: $0.hint) }
        let gone = Set(deleted.removed.map(\.instance))
        removed.instances = drift.instances.filter { gone.contains($0.name) }
        return (removed, failures)
    }
}

extension Drift {
    /// What is left of this drift once `removed` is gone.
    func removing(_ removed: Drift) -> Drift {
        var left = self
        left.instances.removeAll { removed.instances.contains($0) }
        left.jujuUnits.removeAll { removed.jujuUnits.contains($0) }
        left.jujuApplications.removeAll { removed.jujuApplications.contains($0) }
        left.jujuMachines.removeAll { removed.jujuMachines.contains($0) }
        return left
    }
}
