import Foundation
import GoldfleetSupport
import Inventory

/// `goldfleet export NAME`: what test frameworks and `juju deploy BUNDLE --map-machines` need.
public struct EnvironmentExport: Sendable, Codable, Equatable, JSONReport {
    public struct Machine: Sendable, Codable, Equatable {
        public var name: String
        public var group: String
        public var ipv4: String?
        public var jujuMachine: String?
    }
    public var environment: String
    public var model: String?
    public var machines: [Machine]
    /// `existing,0=3,1=4`: bundle machine → juju machine, for machines imported from a bundle
    /// (named `m<N>` by `import-bundle`).
    public var mapMachines: String
}

extension Orchestrator {
    /// Given the inventory, its own machines; by name alone, refused when two inventory files
    /// share the name (their machines' groups would mix in `mapMachines`).
    public func export(environment: String, inventory: Inventory? = nil) async throws -> EnvironmentExport {
        let status = try await status(environment: environment, inventory: inventory)
        if inventory == nil, status.owners.count > 1 {
            throw InventoryMismatch(environment: environment, inventory: nil, owners: status.owners, command: "export")
        }
        let machines = status.machines.map {
            EnvironmentExport.Machine(name: $0.name, group: $0.group, ipv4: $0.ipv4, jujuMachine: $0.jujuMachine)
        }
        return EnvironmentExport(
            environment: environment, model: status.model, machines: machines,
            mapMachines: Self.mapMachines(machines))
    }

    /// Bundle machine ids come back from the `m<N>` group names `import-bundle` gives them (the
    /// importer's own rule). Without any — a bundle with no `machines:` section — the value is
    /// `existing` alone.
    static func mapMachines(_ machines: [EnvironmentExport.Machine]) -> String {
        var map: [String: String] = [:]
        for machine in machines {
            guard let bundleID = BundleImporter.bundleMachineID(ofInventoryMachine: machine.group),
                  let id = machine.jujuMachine else { continue }
            map[bundleID] = id
        }
        return BundleImporter.machineMap(map)
    }
}
