import Foundation
import Testing
@testable import Gold
@testable import Inventory
@testable import JujuKit
@testable import LXDKit
@testable import Orchestrator

/// The drift of an inventory edited after `up`, computed from instance lists and `juju status`
/// alone (the orchestrator holds a real LXD client; this is the pure part).
@Suite("Drift: what the inventory no longer names")
struct DriftTests {
    /// After `up` of web×2 + db×1 with ubuntu on web and postgresql on db: web shrunk to 1,
    /// db removed, postgresql removed.
    static let shrunk = """
        name: demo
        gold: gold/snap1
        machines:
          web: {count: 1}
        juju:
          model: demo
          applications:
            ubuntu: {charm: ubuntu, to: [web]}
            ntp: {charm: ntp, num_units: 0}
          relations:
            - [ubuntu, ntp]
        """

    static func inventory(_ yaml: String = shrunk) throws -> Inventory {
        try InventoryLoader.load(yaml: yaml, file: "drift.yaml", baseDirectory: "/tmp")
    }

    static func instance(_ name: String, group: String, juju: String?, inventory: String, environment: String = "demo",
                         managed: Bool = true) -> LXDInstance {
        var config = [InstanceTags.environment: environment, InstanceTags.machine: group, InstanceTags.inventory: inventory]
        if managed { config[InstanceTags.managedBy] = InstanceTags.managedByValue }
        config[InstanceTags.jujuMachine] = juju
        return LXDInstance(name: name, status: "Running", config: config)
    }

    /// Machines 0 (web-1), 1 (web-2), 2 (db-1); the user's own machine 7; ubuntu on 0 and 1
    /// with ntp on each, postgresql in a container on 2, the user's `grafana` on 7.
    static let status = JujuStatus(
        machines: ["0", "1", "2", "7"].map { JujuMachine(id: $0) },
        applications: [
            JujuApplication(name: "grafana", units: [JujuUnit(name: "grafana/0", machine: "7")]),
            JujuApplication(name: "ntp", subordinateTo: ["ubuntu"]),
            JujuApplication(name: "postgresql", units: [JujuUnit(name: "postgresql/0", machine: "2/lxd/0")]),
            JujuApplication(name: "ubuntu", units: [
                JujuUnit(name: "ubuntu/0", machine: "0", subordinates: [JujuUnit(name: "ntp/0")]),
                JujuUnit(name: "ubuntu/1", machine: "1", subordinates: [JujuUnit(name: "ntp/1")]),
                JujuUnit(name: "ubuntu/2", machine: "7"),
            ]),
        ])

    static func instances(owner: String) -> [LXDInstance] {
        [
            instance("demo-web-1", group: "web", juju: "0", inventory: owner),
            instance("demo-web-2", group: "web", juju: "1", inventory: owner),
            instance("demo-db-1", group: "db", juju: "2", inventory: owner),
            // Not drift: another inventory's, another environment's, untagged, a gold.
            instance("demo-cache-1", group: "cache", juju: "5", inventory: "/elsewhere/inventory.yaml"),
            instance("other-web-1", group: "web", juju: "6", inventory: owner, environment: "other"),
            instance("demo-web-3", group: "web", juju: nil, inventory: owner, managed: false),
        ]
    }

    @Test("a shrunk group, a removed group and a removed application are drift; nothing of anyone else is")
    func shrunkAndRemoved() throws {
        let inventory = try Self.inventory()
        let owner = InventoryOwnership.canonicalPath(inventory.sourceFile)
        let drift = Drift.of(inventory, instances: Self.instances(owner: owner), status: Self.status,
                             recordedApplications: ["ubuntu", "ntp", "postgresql"])
        #expect(drift.instances == [
            .init(name: "demo-db-1", group: "db", jujuMachine: "2"),
            .init(name: "demo-web-2", group: "web", jujuMachine: "1"),
        ])
        #expect(drift.jujuMachines == ["2", "1"])
        #expect(drift.jujuApplications == ["postgresql"])
        // ubuntu/1 sits on a machine no longer placed; ubuntu/2 is on the user's machine 7.
        #expect(drift.jujuUnits == ["ubuntu/1"])
        #expect(drift.unread.isEmpty)
        #expect(!drift.isEmpty)
    }

    @Test("an environment that matches its inventory has no drift")
    func converged() throws {
        let inventory = try Self.inventory(Self.shrunk.replacingOccurrences(of: "web: {count: 1}", with: "web: {count: 2}\n  db: {count: 1}")
            .replacingOccurrences(of: "    ntp: {charm: ntp, num_units: 0}", with: "    ntp: {charm: ntp, num_units: 0}\n    postgresql: {charm: postgresql, to: [db]}"))
        let owner = InventoryOwnership.canonicalPath(inventory.sourceFile)
        let drift = Drift.of(inventory, instances: Self.instances(owner: owner), status: Self.status,
                             recordedApplications: ["ubuntu", "ntp", "postgresql"])
        #expect(drift == Drift())
        #expect(drift.isEmpty)
    }

    @Test("an application is goldfleet's by the record, or when every unit is on this environment's machines")
    func applicationOwnership() throws {
        let inventory = try Self.inventory()
        let owner = InventoryOwnership.canonicalPath(inventory.sourceFile)
        // No record: postgresql's only unit is on db-1's machine, so it is this environment's;
        // grafana lives on the user's machine 7 and stays.
        let unrecorded = Drift.of(inventory, instances: Self.instances(owner: owner), status: Self.status, recordedApplications: nil)
        #expect(unrecorded.jujuApplications == ["postgresql"])
        // A recorded subordinate with no units of its own is known by the record alone.
        var status = Self.status
        status.applications.append(JujuApplication(name: "telegraf", subordinateTo: ["postgresql"]))
        let recorded = Drift.of(inventory, instances: Self.instances(owner: owner), status: status, recordedApplications: ["telegraf"])
        #expect(recorded.jujuApplications == ["postgresql", "telegraf"])
    }

    @Test("juju machines already gone are not drift; without juju status the recorded ones are listed and it says so")
    func jujuUnreadable() throws {
        let inventory = try Self.inventory()
        let owner = InventoryOwnership.canonicalPath(inventory.sourceFile)
        var status = Self.status
        status.machines.removeAll { $0.id == "2" }
        #expect(Drift.of(inventory, instances: Self.instances(owner: owner), status: status, recordedApplications: nil).jujuMachines == ["1"])
        let blind = Drift.of(inventory, instances: Self.instances(owner: owner), status: nil, recordedApplications: nil,
                             unread: ["juju status: no juju client"])
        #expect(blind.jujuMachines == ["2", "1"])
        #expect(blind.jujuApplications.isEmpty && blind.jujuUnits.isEmpty)
        #expect(blind.unread == ["juju status: no juju client"])
    }
}
