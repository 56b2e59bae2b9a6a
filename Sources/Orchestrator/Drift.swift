import Gold
import Inventory
import JujuKit
import LXDKit

/// What an environment holds that its inventory no longer names: instances of groups shrunk or
/// removed, and the juju units, applications and machines left with them. `plan` shows it,
/// `up` reports it, and `up --prune` removes it (units, applications, machines, instances, in
/// that order).
///
/// Only what is provably this environment's counts: instances with goldfleet's tags for this
/// environment made from this inventory file; juju machines recorded on those instances;
/// applications goldfleet recorded as deployed for this inventory (or whose every unit sits on
/// this environment's machines); units on this environment's machines. Anything else in the
/// model or on the LXD server is the user's and never drift.
public struct Drift: Sendable, Codable, Equatable {
    public struct Instance: Sendable, Codable, Equatable {
        public var name: String
        /// The machine group the instance was made for (`user.goldfleet.machine`).
        public var group: String
        /// The juju machine recorded on it, if it was registered.
        public var jujuMachine: String?

        public init(name: String, group: String, jujuMachine: String? = nil) {
            self.name = name
            self.group = group
            self.jujuMachine = jujuMachine
        }
    }

    /// Instances the inventory no longer names, by name.
    public var instances: [Instance] = []
    /// Units of applications the inventory still names, on machines it no longer places them on.
    public var jujuUnits: [String] = []
    /// Applications the inventory no longer names.
    public var jujuApplications: [String] = []
    /// Juju machines of the instances in `instances` that juju still has.
    public var jujuMachines: [String] = []
    /// What could not be read, so the drift may be incomplete (e.g. `juju status: …`).
    public var unread: [String] = []

    public init(instances: [Instance] = [], jujuUnits: [String] = [], jujuApplications: [String] = [],
                jujuMachines: [String] = [], unread: [String] = []) {
        self.instances = instances
        self.jujuUnits = jujuUnits
        self.jujuApplications = jujuApplications
        self.jujuMachines = jujuMachines
        self.unread = unread
    }

    /// Nothing left over (as far as could be read).
    public var isEmpty: Bool {
        instances.isEmpty && jujuUnits.isEmpty && jujuApplications.isEmpty && jujuMachines.isEmpty
    }

    /// The drift of `inventory` given the live state.
    ///
    /// - `instances`: LXD's instances (any; only this inventory's managed ones are considered).
    /// - `status`: `juju status` of the inventory's model; nil when it could not be read (then
    ///   the juju machines recorded on left-over instances are listed as they are recorded).
    /// - `recordedApplications`: the applications this inventory's last `up` recorded as
    ///   goldfleet's (`UpReport.applications`); nil when there is no such record.
    public static func of(_ inventory: Inventory, instances: [LXDInstance], status: JujuStatus?,
                          recordedApplications: [String]?, unread: [String] = []) -> Drift {
        let owner = InventoryOwnership.canonicalPath(inventory.sourceFile)
        let own = instances.filter {
            Orchestrator.belongs($0, to: inventory.name)
                && $0.config[InstanceTags.inventory].map(InventoryOwnership.canonicalPath) == owner
        }
        let named = Set(inventory.machines.map(\.instanceName))
        let leftOver = own.filter { !named.contains($0.name) }.sorted { $0.name < $1.name }
        var drift = Drift(unread: unread)
        drift.instances = leftOver.map {
            Instance(name: $0.name, group: $0.config[InstanceTags.machine] ?? "", jujuMachine: $0.config[InstanceTags.jujuMachine])
        }
        let leftMachines = drift.instances.compactMap(\.jujuMachine)
        guard let status else {
            drift.jujuMachines = leftMachines
            return drift
        }
        let known = Set(status.machines.map(\.id))
        drift.jujuMachines = leftMachines.filter(known.contains)

        // Machines of this environment (kept or left over), and where the inventory's units go.
        let ours = Set(own.compactMap { $0.config[InstanceTags.jujuMachine] })
        let ids = Dictionary(own.compactMap { instance in instance.config[InstanceTags.jujuMachine].map { (instance.name, $0) } },
                             uniquingKeysWith: { first, _ in first })
        let namedApplications = Set(inventory.juju.applications.map(\.name))
        let recorded = Set(recordedApplications ?? [])
        for application in status.applications where !namedApplications.contains(application.name) {
            let hosts = application.units.compactMap { $0.machine.map(Orchestrator.hostMachine(of:)) }
            let onlyOnOurs = !hosts.isEmpty && hosts.count == application.units.count && hosts.allSatisfy(ours.contains)
            if recorded.contains(application.name) || onlyOnOurs { drift.jujuApplications.append(application.name) }
        }
        for spec in inventory.juju.applications {
            guard let application = status.application(spec.name) else { continue }
            // Each placement the inventory still makes keeps one unit on its machine.
            var placed = spec.placements.compactMap { ids[$0.instanceName] }
            for unit in application.units {
                guard let machine = unit.machine else { continue }
                let host = Orchestrator.hostMachine(of: machine)
                guard ours.contains(host) else { continue }  // the user's own units stay
                if let index = placed.firstIndex(of: host) {
                    placed.remove(at: index)
                } else {
                    drift.jujuUnits.append(unit.name)
                }
            }
        }
        return drift
    }
}

extension Drift {
    /// One line per left-over thing (and per part of the state that could not be read), for
    /// `up`'s summary and `plan`.
    public var lines: [String] {
        var lines: [String] = []
        for instance in instances {
            let machine = instance.jujuMachine.flatMap { id in jujuMachines.contains(id) ? ", juju machine \(id)" : nil } ?? ""
            lines.append("instance \(instance.name) (group \(instance.group.isEmpty ? "?" : instance.group)\(machine))")
        }
        let described = Set(instances.compactMap(\.jujuMachine))
        for id in jujuMachines where !described.contains(id) { lines.append("juju machine \(id)") }
        for application in jujuApplications { lines.append("juju application \(application)") }
        for unit in jujuUnits { lines.append("juju unit \(unit) (on a machine the inventory no longer places it on)") }
        return lines
    }
}
