import Foundation

/// Everything the double remembers about one model, stored as JSON in
/// `$JUJU_DATA/double/models/<model>.json`.
struct ModelState: Codable {
    var name: String
    var uuid: String
    var created: Date
    var config: [String: String] = [:]
    /// Machine ids are never reused within a model, like juju's.
    var nextMachineNumber = 0
    var machines: [String: MachineRecord] = [:]
    var applications: [String: ApplicationRecord] = [:]
    var relations: [RelationRecord] = []
    /// `juju exec` task ids, like juju's action ids: one sequence per model.
    var nextTaskID: Int? = nil

    init(name: String) {
        self.name = name
        self.uuid = UUID().uuidString.lowercased()
        self.created = Date()
    }

    /// A top-level machine or a container (`1/lxd/0`), by id.
    func machine(_ id: String) -> MachineRecord? {
        let parts = id.split(separator: "/").map(String.init)
        guard var current = machines[parts[0]] else { return nil }
        var index = 1
        while index + 1 < parts.count {
            guard let child = current.containers["\(current.id)/\(parts[index])/\(parts[index + 1])"] else { return nil }
            current = child
            index += 2
        }
        return index == parts.count ? current : nil
    }

    /// Every machine id, containers included.
    var allMachineIDs: [String] {
        func ids(_ machine: MachineRecord) -> [String] { [machine.id] + machine.containers.values.flatMap(ids) }
        return machines.values.flatMap(ids)
    }

    /// Units placed on `machineID` or on one of its containers.
    func units(onMachine machineID: String) -> [String] {
        applications.values.flatMap(\.units).filter {
            guard let machine = $0.machine else { return false }
            return machine == machineID || machine.hasPrefix(machineID + "/")
        }.map(\.name).sorted()
    }
}

struct MachineRecord: Codable {
    var id: String
    /// `manual:HOST` for `add-machine ssh:…`; `juju-<model>-N-lxd-K` style for containers.
    var instanceID: String
    var host: String?
    var addresses: [String] = []
    var hostname: String?
    /// `pending` while provisioning, `started` after.
    var agentStatus: String
    var osName: String
    var osChannel: String
    var series: String
    var architecture: String
    var memoryMB: Int
    var cores: Int
    var since: Date
    /// Set on a machine juju made for a unit without placement: the manual provider cannot start
    /// it, and juju's provisioner records this as the instance status `provisioning error`.
    var provisioningError: String? = nil
    var nextContainerNumber = 0
    var containers: [String: MachineRecord] = [:]
}

struct UnitRecord: Codable {
    var name: String
    /// nil while juju waits for a machine (no placement and the manual cloud cannot create one).
    var machine: String?
    var since: Date
    /// Set for units of a local charm whose hooks really ran on the machine (see UnitAgent);
    /// nil for simulated units (charm-store charms, units without a started machine).
    var agent: UnitAgentState? = nil
}

struct ApplicationRecord: Codable {
    var name: String
    var charm: String
    var charmOrigin: String
    var revision: Int
    var channel: String?
    var osName: String
    var osChannel: String
    var series: String
    var config: [String: String] = [:]
    /// From the charm's metadata; subordinates have no units of their own.
    var subordinate: Bool? = nil
    /// The absolute path of a local charm (directory or `.charm`), whose hooks the double runs.
    var charmPath: String? = nil
    /// Set by `juju expose`; nil (absent in older state files) is false.
    var exposed: Bool? = nil
    var nextUnitNumber = 0
    var units: [UnitRecord] = []
    var since: Date
}

struct RelationRecord: Codable, Equatable {
    var firstApplication: String
    var firstEndpoint: String
    var secondApplication: String
    var secondEndpoint: String

    var key: String { "\(firstApplication):\(firstEndpoint) \(secondApplication):\(secondEndpoint)" }
    func involves(_ application: String) -> Bool { firstApplication == application || secondApplication == application }
    func sameAs(_ other: RelationRecord) -> Bool {
        self == other || (firstApplication == other.secondApplication && firstEndpoint == other.secondEndpoint
                          && secondApplication == other.firstApplication && secondEndpoint == other.firstEndpoint)
    }
}
