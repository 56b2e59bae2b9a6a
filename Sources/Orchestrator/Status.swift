import Foundation
import GoldfleetSupport
import Gold
import Inventory
import JujuKit
import LXDKit
import SSHKit

/// `goldfleet status`: one row per machine of an environment.
public struct StatusReport: Sendable, Codable, Equatable {
    public struct Machine: Sendable, Codable, Equatable {
        public var name: String
        public var group: String
        public var state: String
        public var ipv4: String?
        public var member: String?
        /// sshd answered with its banner on port 22.
        public var sshReachable: Bool
        /// Whether the wheelhouse recorded on the machine matches the local one; nil when no
        /// inventory was given to compare with.
        public var wheelhouseInSync: Bool?
        public var jujuMachine: String?
        public var jujuStatus: String?
    }
    public var environment: String
    public var model: String?
    public var machines: [Machine]
    /// When juju could not be asked, why.
    public var jujuError: String?
    /// When instances of this name were made from more than one inventory file: each file's
    /// instances (canonical path; `""` when none was recorded). `status FILE` shows only that
    /// file's machines and lists the others here; `status NAME` shows them all.
    public var owners: [String: [String]] = [:]
}

/// One environment in `goldfleet list`.
public struct EnvironmentSummary: Sendable, Codable, Equatable {
    public var name: String
    public var model: String?
    public var machines: Int
    public var running: Int
    public var inventory: String?
}

extension Orchestrator {
    public func status(environment: String, inventory: Inventory? = nil) async throws -> StatusReport {
        var instances = try await managedInstances(of: environment).values.sorted { $0.name < $1.name }
        let ownership = InventoryOwnership(instances)
        if let inventory, ownership.owners.count > 1 {
            // Another inventory with the same `name:`: the file given sees its own machines
            // (and those made before inventories were recorded).
            let own = InventoryOwnership.canonicalPath(inventory.sourceFile)
            let shown = Set(ownership.made(from: own) + ownership.made(from: ""))
            instances = instances.filter { shown.contains($0.name) }
        }
        let model = instances.first?.config[InstanceTags.jujuModel]
        var jujuMachines: [JujuMachine] = []
        var jujuError: String?
        if instances.contains(where: { $0.config[InstanceTags.jujuMachine] != nil }) {
            do { jujuMachines = try await juju.inModel(model ?? juju.model).machines() } catch { jujuError = MachineFailure.text(of: error) }
        }
        let digests = try inventory.map { inventory in
            try Dictionary(Set(inventory.machines.compactMap { $0.wheelhouse?.path }).map { ($0, try WheelhouseDigest.of(directory: $0)) }, uniquingKeysWith: { a, _ in a })
        }
        let rows = await mapConcurrently(instances, limit: options.parallel, whenCancelled: { Self.row($0, ipv4: nil, reachable: false) }) { instance in
            let ipv4 = instance.isRunning ? (try? await self.lxd.state(instance.name))?.ipv4Addresses.first : nil
            let reachable = if let ipv4 { (try? await self.shells.banner(host: ipv4)) != nil } else { false }
            var row = Self.row(instance, ipv4: ipv4, reachable: reachable)
            // In sync: the local wheelhouse is the one recorded, and what goldfleet left on the
            // machine is still there.
            if let digests, let inventory, let wheelhouse = inventory.machine(named: row.name)?.wheelhouse {
                row.wheelhouseInSync = instance.config[InstanceTags.wheelhouse] == digests[wheelhouse.path]
                    ? await self.wheelhouseStillThere(instance.name, instance, remote: wheelhouse.remote, user: inventory.ssh.user)
                    : false
            }
            return row
        }
        let machines = rows.map { row in
            var row = row
            if let id = row.jujuMachine {
                row.jujuStatus = jujuMachines.first { $0.id == id }?.jujuStatus?.current ?? (jujuError == nil ? "missing" : nil)
            }
            return row
        }
        return StatusReport(environment: environment, model: model, machines: machines, jujuError: jujuError,
                            owners: ownership.owners.count > 1 ? ownership.owners : [:])
    }

    /// All environments goldfleet has instances for on this LXD.
    public func environments() async throws -> [EnvironmentSummary] {
        let all = try await lxd.instances(matchingConfig: [InstanceTags.managedBy: InstanceTags.managedByValue])
        // Golds are goldfleet's too, but belong to no environment.
        let grouped = Dictionary(grouping: all.filter { $0.config[InstanceTags.environment] != nil }) { $0.config[InstanceTags.environment]! }
        return grouped.keys.sorted().map { name in
            let instances = grouped[name]!
            return EnvironmentSummary(
                name: name, model: instances.first?.config[InstanceTags.jujuModel],
                machines: instances.count, running: instances.filter(\.isRunning).count,
                inventory: instances.first?.config[InstanceTags.inventory])
        }
    }

    private static func row(_ instance: LXDInstance, ipv4: String?, reachable: Bool) -> StatusReport.Machine {
        StatusReport.Machine(
            name: instance.name, group: instance.config[InstanceTags.machine] ?? "",
            state: instance.status, ipv4: ipv4, member: instance.member,
            sshReachable: reachable, wheelhouseInSync: nil,
            jujuMachine: instance.config[InstanceTags.jujuMachine], jujuStatus: nil)
    }
}
