import Foundation
import Testing
@testable import Gold
@testable import Orchestrator

/// `status` when two inventory files share one `name:`: the file given sees its own machines,
/// the name alone sees all of them, and both say which file made which.
@Suite("Status with two inventories of one name")
struct StatusOwnershipTests {
    @Test("status FILE shows only that file's machines and names the other file's; status NAME shows all")
    func statusByOwner() async throws {
        let lab = try await FakeLab()
        defer { lab.remove() }
        let inventory = try lab.inventory(ConvergeTests.threeWeb)
        let up = try await lab.orchestrator().up(inventory)
        #expect(up.succeeded, "\(up.json())")
        await lab.putForeignInventoryInstance(status: "Stopped")

        let mine = try await lab.orchestrator().status(environment: "demo", inventory: inventory)
        #expect(mine.machines.map(\.name) == ConvergeTests.names.sorted())
        #expect(mine.owners["/elsewhere/demo.yaml"] == ["demo-db-1"])
        #expect(mine.owners[InventoryOwnership.canonicalPath(inventory.sourceFile)] == ConvergeTests.names.sorted())

        let all = try await lab.orchestrator().status(environment: "demo")
        #expect(all.machines.map(\.name) == (ConvergeTests.names + ["demo-db-1"]).sorted())
        #expect(all.owners.count == 2)
    }

    @Test("one inventory: no owners listed")
    func singleOwner() async throws {
        let lab = try await FakeLab()
        defer { lab.remove() }
        let inventory = try lab.inventory(ConvergeTests.threeWeb)
        _ = try await lab.orchestrator().up(inventory)
        #expect(try await lab.orchestrator().status(environment: "demo", inventory: inventory).owners.isEmpty)
        #expect(try await lab.orchestrator().status(environment: "demo").owners.isEmpty)
    }

    @Test("export by name refuses two inventories' machines (their groups would mix); the FILE exports its own")
    func exportByOwner() async throws {
        let lab = try await FakeLab()
        defer { lab.remove() }
        let inventory = try lab.inventory(ConvergeTests.threeWeb)
        _ = try await lab.orchestrator().up(inventory)
        await lab.putForeignInventoryInstance(status: "Stopped")

        let error = await #expect(throws: InventoryMismatch.self) {
            _ = try await lab.orchestrator().export(environment: "demo")
        }
        #expect(error?.hint?.contains("`goldfleet export /elsewhere/demo.yaml`") == true, "\(error?.hint ?? "")")
        let mine = try await lab.orchestrator().export(environment: "demo", inventory: inventory)
        #expect(mine.machines.map(\.name) == ConvergeTests.names.sorted())
    }
}
