import Foundation
import Testing
@testable import Gold
@testable import Orchestrator

/// `down` and `reset` against in-memory LXD, juju and sshd: what they remove, and what they
/// never touch.
@Suite("Down and reset with fakes")
struct DownResetTests {
    @Test("down removes this inventory's instances and juju machines, and never a foreign instance")
    func downTouchesOnlyItsOwn() async throws {
        let lab = try await FakeLab()
        defer { lab.remove() }
        let inventory = try lab.inventory(ConvergeTests.threeWeb)
        let up = try await lab.orchestrator().up(inventory)
        #expect(up.succeeded, "\(up.json())")
        // Beside it: the user's instance with this environment's name and tags but no managed-by,
        // another environment's, and one of this environment made from another inventory file.
        let managed = [InstanceTags.managedBy: InstanceTags.managedByValue]
        await lab.lxd.put(FakeLXD.Instance(name: "demo-web-4", status: "Running", config: [InstanceTags.environment: "demo"]))
        await lab.lxd.put(FakeLXD.Instance(name: "other-web-1", status: "Running", config: managed.merging([InstanceTags.environment: "other"]) { $1 }))
        await lab.lxd.put(FakeLXD.Instance(name: "demo-db-1", status: "Running", config: managed.merging([
            InstanceTags.environment: "demo", InstanceTags.inventory: "/elsewhere/demo.yaml"]) { $1 }))

        let report = try await lab.orchestrator().down(environment: "demo", inventory: inventory.sourceFile)

        #expect(report.failures.isEmpty, "\(report)")
        #expect(Set(report.removed.map(\.instance)) == Set(ConvergeTests.names))
        #expect(Set(await lab.lxd.deleted) == Set(ConvergeTests.names))
        #expect(report.leftAlone == ["/elsewhere/demo.yaml": ["demo-db-1"]])
        for name in ["demo-web-4", "other-web-1", "demo-db-1", "gold"] {
            #expect(try await lab.lxd.instance(named: name) != nil, "\(name) was deleted")
        }
        #expect(try await lab.juju().machines().isEmpty)
        // Their pinned host keys are gone with them.
        let knownHosts = (try? String(contentsOfFile: lab.state.knownHosts(for: "demo"), encoding: .utf8)) ?? ""
        #expect(!knownHosts.contains("192.0.2."))
    }

    @Test("an instance LXD fails to delete is reported by name; down removes the others all the same")
    func downFailureIsolated() async throws {
        let lab = try await FakeLab()
        defer { lab.remove() }
        let up = try await lab.orchestrator().up(try lab.inventory(ConvergeTests.threeWeb))
        #expect(up.succeeded, "\(up.json())")
        await lab.lxd.fail(.delete, for: "demo-web-2")

        let report = try await lab.orchestrator().down(environment: "demo")

        #expect(report.failures.count == 1)
        #expect(report.failures.first?.message.hasPrefix("demo-web-2: ") == true && report.failures.first?.message.contains("injected failure") == true)
        #expect(await lab.lxd.deleted.sorted() == ["demo-web-1", "demo-web-3"])
        #expect(Set(report.removed.map(\.instance)) == ["demo-web-1", "demo-web-3"])
        // Still tagged, so the next `down` finds it again.
        #expect(try await lab.lxd.instance(named: "demo-web-2").map { InstanceTags.isManaged($0.config) } == true)
    }

    @Test("down by name refuses when the instances come from two inventories, and deletes nothing")
    func downByNameRefusesMixedOwners() async throws {
        let lab = try await FakeLab()
        defer { lab.remove() }
        let up = try await lab.orchestrator().up(try lab.inventory(ConvergeTests.threeWeb))
        #expect(up.succeeded, "\(up.json())")
        await lab.putForeignInventoryInstance()

        await #expect(throws: InventoryMismatch.self) {
            _ = try await lab.orchestrator().down(environment: "demo")
        }
        #expect(await lab.lxd.deleted.isEmpty)
        #expect(try await lab.juju().machines().count == 3)
    }

    @Test("reset re-clones exactly the named machine and registers the new one; the others stay as they are")
    func resetOnlyTheNamed() async throws {
        let lab = try await FakeLab()
        defer { lab.remove() }
        let inventory = try lab.inventory(ConvergeTests.threeWeb)
        let up = try await lab.orchestrator().up(inventory)
        #expect(up.succeeded, "\(up.json())")
        let before = Dictionary(uniqueKeysWithValues: up.machines.map { ($0.name, $0) })

        let report = try await lab.orchestrator().reset(inventory, machines: ["web-2"])

        #expect(report.succeeded, "\(report.json())")
        #expect(await lab.lxd.deleted == ["demo-web-2"])
        #expect(await lab.lxd.created.filter { $0 == "demo-web-2" }.count == 2)
        #expect(report.machines.map(\.name) == ["demo-web-2"])
        let reset = try #require(report.machines.first)
        #expect(reset.jujuMachine != nil && reset.jujuMachine != before["demo-web-2"]?.jujuMachine)
        #expect(reset.ipv4 != before["demo-web-2"]?.ipv4)
        // juju lost the old machine, has the new one, and the others as they were.
        let machines = try await lab.juju().machines()
        #expect(Set(machines.map(\.id)) == Set([before["demo-web-1"]?.jujuMachine, before["demo-web-3"]?.jujuMachine, reset.jujuMachine].compactMap { $0 }))
        for name in ["demo-web-1", "demo-web-3"] {
            let instance = try #require(try await lab.lxd.instance(named: name))
            #expect(instance.config[InstanceTags.jujuMachine] == before[name]?.jujuMachine)
            #expect(try await lab.lxd.state(name).ipv4Addresses.first == before[name]?.ipv4)
        }
        // The unit the inventory places on web-2 is back, on the new machine.
        let ubuntu = try #require(try await lab.juju().status().application("ubuntu"))
        #expect(Set(ubuntu.units.compactMap(\.machine)) == Set(machines.map(\.id)))
    }

    @Test("reset of a machine the environment does not have changes nothing")
    func resetUnknownMachine() async throws {
        let lab = try await FakeLab()
        defer { lab.remove() }
        let inventory = try lab.inventory(ConvergeTests.threeWeb)
        _ = try await lab.orchestrator().up(inventory)
        await #expect(throws: OrchestratorError.self) {
            _ = try await lab.orchestrator().reset(inventory, machines: ["web-9"])
        }
        #expect(await lab.lxd.deleted.isEmpty)
    }
}
