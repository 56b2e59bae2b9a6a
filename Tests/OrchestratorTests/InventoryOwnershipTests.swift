import Foundation
import Testing
@testable import Gold
@testable import LXDKit
@testable import Orchestrator

@Suite("Which inventory made an environment")
struct InventoryOwnershipTests {
    static func instance(_ name: String, inventory: String?) -> LXDInstance {
        var config = [InstanceTags.managedBy: InstanceTags.managedByValue, InstanceTags.environment: "demo"]
        config[InstanceTags.inventory] = inventory
        return LXDInstance(name: name, status: "Running", config: config)
    }

    @Test("every spelling of one inventory file is the same inventory: relative, `..`, symlinked")
    func canonicalPath() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gf-own-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/real", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("name: demo\n".utf8).write(to: URL(fileURLWithPath: directory + "/real/inventory.yaml"))
        try FileManager.default.createSymbolicLink(atPath: directory + "/link", withDestinationPath: directory + "/real")
        let canonical = InventoryOwnership.canonicalPath(directory + "/real/inventory.yaml")
        #expect(canonical.hasPrefix("/") && canonical.hasSuffix("/real/inventory.yaml"))
        #expect(InventoryOwnership.canonicalPath(directory + "/link/inventory.yaml") == canonical)
        #expect(InventoryOwnership.canonicalPath(directory + "/real/../link/./inventory.yaml") == canonical)
        // A recorded path of a file that is gone stays as it was, only standardised.
        #expect(InventoryOwnership.canonicalPath("/nowhere/x/../inventory.yaml") == "/nowhere/inventory.yaml")
    }

    @Test("instances of the same name from another inventory stop up, naming both files and the instances")
    func foreignInstancesRefuse() throws {
        let ownership = InventoryOwnership([
            Self.instance("demo-web-2", inventory: "/home/a/inventory.yaml"),
            Self.instance("demo-web-1", inventory: "/home/a/inventory.yaml"),
        ])
        #expect(try ownership.requireOwned(by: "/home/a/inventory.yaml", environment: "demo", command: "up", adopt: false) == [])
        let error = #expect(throws: InventoryMismatch.self) {
            _ = try ownership.requireOwned(by: "/home/b/inventory.yaml", environment: "demo", command: "up", adopt: false)
        }
        #expect(error?.message == "environment `demo` was made from another inventory than /home/b/inventory.yaml: /home/a/inventory.yaml made demo-web-1, demo-web-2 — nothing was touched")
        #expect(error?.hint == "two inventories share `name: demo`: rename one or run `goldfleet up /home/a/inventory.yaml`; to take these instances over as this inventory's, add `--adopt`")
    }

    @Test("--adopt returns the other inventory's instances to re-tag")
    func adoptTakesOver() throws {
        let ownership = InventoryOwnership([
            Self.instance("demo-web-1", inventory: "/home/a/inventory.yaml"),
            Self.instance("demo-db-1", inventory: "/home/b/inventory.yaml"),
            Self.instance("demo-old-1", inventory: nil),
        ])
        #expect(try ownership.requireOwned(by: "/home/b/inventory.yaml", environment: "demo", command: "reset", adopt: true) == ["demo-old-1", "demo-web-1"])
        #expect(ownership.made(from: "/home/b/inventory.yaml") == ["demo-db-1"])
        #expect(ownership.foreign(to: "/home/b/inventory.yaml") == ["/home/a/inventory.yaml": ["demo-web-1"], "": ["demo-old-1"]])
    }

    @Test("`down NAME` over instances from two inventories says how to pick")
    func downByNameOverTwoInventories() {
        let error = InventoryMismatch(
            environment: "demo", inventory: nil,
            owners: InventoryOwnership([
                Self.instance("demo-web-1", inventory: "/home/a/inventory.yaml"),
                Self.instance("demo-db-1", inventory: "/home/b/inventory.yaml"),
            ]).owners,
            command: "down")
        #expect(error.message == "environment `demo` holds instances made from 2 inventory files: /home/a/inventory.yaml made demo-web-1; /home/b/inventory.yaml made demo-db-1 — nothing was touched")
        #expect(error.hint == "give the inventory whose instances to remove (`goldfleet down /home/a/inventory.yaml` or `goldfleet down /home/b/inventory.yaml`); `goldfleet down demo --adopt` removes them all")
    }

    @Test("an instance without a recorded inventory is another inventory's, and says so")
    func unrecordedInventory() {
        let error = InventoryMismatch(environment: "demo", inventory: "/home/b/inventory.yaml",
                                      owners: InventoryOwnership([Self.instance("demo-web-1", inventory: nil)]).owners, command: "up")
        #expect(error.message.contains("an unrecorded inventory (no user.goldfleet.inventory tag) made demo-web-1"))
    }

    @Test("a report written before reports named their inventory still reads")
    func oldReportDecodes() throws {
        let json = #"{"environment":"demo","model":"demo","jujuSimulated":true,"machines":[],"juju":[],"errors":[],"seconds":1}"#
        let report = try JSONDecoder().decode(UpReport.self, from: Data(json.utf8))
        #expect(report.inventory == nil && report.environment == "demo")
    }
}
