import Foundation
import TestSupport
import Testing
@testable import Inventory
@testable import Orchestrator

@Suite("Inventory loading")
struct InventoryLoaderTests {
    @Test("demo.yaml loads, expands its machines and places its units")
    func demoInventory() throws {
        let path = InventoryFixtures.repositoryRoot.appendingPathComponent("inventory/demo.yaml").path
        let (inventory, diagnostics) = InventoryLoader.validate(path: path)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let demo = try #require(inventory)
        #expect(demo.name == "demo")
        #expect(demo.gold == .snapshot(instance: "gold", snapshot: "snap1"))
        #expect(demo.machines.map(\.instanceName) == ["demo-web-1", "demo-web-2", "demo-db-1", "demo-tools-1"])
        #expect(demo.machine(named: "demo-db-1")?.nesting == true)
        #expect(demo.machine(named: "demo-tools-1")?.wheelhouse == nil)
        let wheelhouse = try #require(demo.machine(named: "demo-web-1")?.wheelhouse)
        #expect(wheelhouse.path == InventoryFixtures.repositoryRoot.appendingPathComponent("inventory/wheelhouse").path)
        #expect(wheelhouse.remote == "~ubuntu/wheelhouse")
        #expect(demo.ssh.password == .file("/var/cache/goldfleet/ubuntu.password"))
        #expect(demo.juju.model == "demo")
        let ubuntu = try #require(demo.juju.applications.first { $0.name == "ubuntu" })
        #expect(ubuntu.numUnits == 2)
        #expect(ubuntu.placements == [.machine(instanceName: "demo-web-1"), .machine(instanceName: "demo-web-2")])
        let postgresql = try #require(demo.juju.applications.first { $0.name == "postgresql" })
        #expect(postgresql.placements == [.lxdContainer(onInstance: "demo-db-1")])
        // The local sample charm the demo's charm loop edits and cycles.
        let sample = try #require(demo.juju.applications.first { $0.name == "sample" })
        #expect(sample.charm == InventoryFixtures.repositoryRoot.appendingPathComponent("charms/sample").standardizedFileURL.path)
        #expect(sample.placements == [.machine(instanceName: "demo-web-1"), .machine(instanceName: "demo-web-2")])
        let ntp = try #require(demo.juju.applications.first { $0.name == "ntp" })
        #expect(ntp.numUnits == 0 && ntp.placements.isEmpty)
        #expect(demo.juju.relations.map(\.description) == ["ntp:juju-info ubuntu:juju-info", "ntp juju-qa-test"])
    }

    @Test("example-full.yaml shows every key and is valid")
    func fullExample() throws {
        let path = InventoryFixtures.repositoryRoot.appendingPathComponent("inventory/example-full.yaml").path
        let (inventory, diagnostics) = InventoryLoader.validate(path: path)
        #expect(diagnostics.errors.isEmpty, "\(diagnostics)")
        let full = try #require(inventory)
        #expect(full.machines.map(\.instanceName) == ["full-web-1", "full-web-2", "full-db-1", "full-edge-1", "full-spare-1"])
        #expect(full.machine(named: "full-db-1")?.wheelhouse?.pipInstall == true)
        #expect(full.machine(named: "full-edge-1")?.wheelhouse == nil)
        #expect(full.juju.modelConfig.map(\.description)
                == ["enable-os-refresh-update=false", "enable-os-upgrade=false", "logging-config=<root>=INFO"])
    }

    @Test("defaults fill everything a minimal inventory leaves out")
    func minimalDefaults() throws {
        let inventory = try InventoryLoader.load(contentsOf: InventoryFixtures.inventoryPath("minimal.yaml"))
        #expect(inventory.gold == .snapshot(instance: "gold", snapshot: "snap1"))
        #expect(inventory.lxd == LXDSettings(pool: "default", profiles: ["default"], location: .localSocket, spread: .roundRobin))
        #expect(inventory.ssh == SSHSettings(user: "ubuntu", password: .environment("GOLDFLEET_PASSWORD")))
        #expect(inventory.wheelhouse == nil)
        #expect(inventory.machines == [MachineSpec(instanceName: "mini-solo-1", group: "solo", index: 1)])
        #expect(inventory.juju == JujuSettings(model: "mini"))
    }

    @Test("every section of a cluster inventory is read")
    func clusterInventory() throws {
        let path = InventoryFixtures.inventoryPath("cluster.yaml")
        let (inventory, diagnostics) = InventoryLoader.validate(path: path)
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
        let lab = try #require(inventory)
        #expect(lab.gold == .image(alias: "juju/bookworm/amd64"))
        #expect(lab.lxd.pool == "dirpool")
        #expect(lab.lxd.profiles == ["default", "juju"])
        #expect(lab.lxd.spread == .fewestInstances)
        #expect(lab.lxd.location == .url("https://10.0.0.5:8443", tls: LXDTLSSettings(
            clientCertificatePath: directory + "/certs/client.crt", clientKeyPath: directory + "/certs/client.key",
            serverFingerprint: "c68f10d91028640891e4b7dafe6e1e5dde08f879f576586b75b1bf043c84e08a")))   // as LXD writes it
        #expect(lab.ssh == SSHSettings(user: "admin", password: .environment("LAB_PASSWORD")))
        #expect(lab.machines.map(\.instanceName) == ["lab-node-1", "lab-node-2", "lab-node-3"])
        #expect(lab.machines.allSatisfy { $0.cpu == 4 && $0.memory == "8GiB" && $0.nesting && $0.target == "member-2" })
        #expect(lab.juju.model == "lab-model")
        #expect(lab.juju.modelConfig.map(\.description)
                == ["enable-os-refresh-update=false", "enable-os-upgrade=true", "logging-config=<root>=DEBUG"])
        let mon = try #require(lab.juju.applications.first)
        #expect(mon.revision == 200 && mon.base == "ubuntu@22.04" && mon.channel == "quincy/stable")
        #expect(mon.numUnits == 4)
        #expect(mon.placements == [
            .lxdContainer(onInstance: "lab-node-1"), .lxdContainer(onInstance: "lab-node-2"),
            .lxdContainer(onInstance: "lab-node-3"), .machine(instanceName: "lab-node-1"),
        ])
        #expect(mon.config.map(\.description) == ["expected-osd-count=3", "monitor-secret=", "use-ipv6=false"])
    }

    @Test("one file with many mistakes reports all of them, in file order")
    func allErrorsAtOnce() throws {
        let path = InventoryFixtures.inventoryPath("many-errors.yaml")
        #expect {
            try InventoryLoader.load(contentsOf: path)
        } throws: { error in
            guard let error = error as? InventoryError else { return false }
            return error.diagnostics.map(\.description) == [
                "\(path):2:7: error: gold: expected INSTANCE/SNAPSHOT, got `gold` — hint: write `gold: gold/snap1` (INSTANCE/SNAPSHOT), `gold: {snapshot: gold/snap1}` or `gold: {image: ALIAS}`",
                "\(path):3:1: error: wheelhous: unknown key `wheelhous` — hint: did you mean `wheelhouse`?",
                "\(path):7:12: error: machines.web.count: expected an integer ≥ 1, got 0 — hint: a machine needs at least one instance; remove the machine to have none",
                "\(path):8:13: error: machines.web.memory: expected a memory size, got `2Gib` — hint: did you mean `2GiB`?",
                "\(path):15:12: error: juju.applications.pg.to[0]: `lxd:db-1` puts a container on machine `db`, which has no nesting — hint: add `nesting: true` under `machines.db`",
                "\(path):17:15: error: juju.relations[0][1]: no application named `missing` — hint: applications are: pg",
            ]
        }
    }

    @Test("a missing file is one clear error")
    func missingFile() {
        let (inventory, diagnostics) = InventoryLoader.validate(path: "/nonexistent/inventory.yaml")
        #expect(inventory == nil)
        #expect(diagnostics.map(\.description) == [
            "/nonexistent/inventory.yaml: error: no such file — hint: check the path; example inventories live in inventory/"
        ])
    }

    @Test("an inline password is accepted with a warning that never shows it")
    func inlinePassword() throws {
        let yaml = "name: demo\nssh:\n  password: hunter2\nmachines: {web: {}}\n"
        let (inventory, diagnostics) = InventoryLoader.validate(yaml: yaml, file: "i.yaml", baseDirectory: "/tmp")
        #expect(inventory?.ssh.password == .inline("hunter2"))
        #expect(diagnostics.map(\.description) == [
            "i.yaml:3:13: warning: ssh.password: the password is written in the inventory — hint: anyone who can read this file can log in; write `password: {env: GOLDFLEET_PASSWORD}` or `password: {file: /path/to/password}`"
        ])
        #expect(!"\(inventory!)".contains("hunter2"))
        #expect(!String(reflecting: inventory!).contains("hunter2"))
        #expect(!Plan.make(for: inventory!).rendered().contains("hunter2"))
    }
}
