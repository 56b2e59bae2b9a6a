import Foundation
import Testing
@testable import Inventory
@testable import Orchestrator

@Suite("Plan placement on a cluster")
struct PlanPlacementTests {
    static func rendered(_ yaml: String) throws -> String {
        Plan.make(for: try InventoryLoader.load(yaml: yaml, file: "c.yaml", baseDirectory: "/tmp")).rendered()
    }

    static let remote = """
        lxd: {url: "https://10.99.0.11:8443", client_cert: /tmp/c.crt, client_key: /tmp/c.key, server_cert: /tmp/s.crt}
        """

    @Test("targets are shown, the rest is left to spread")
    func targets() throws {
        let text = try Self.rendered("name: c\ngold: {image: juju/bookworm/amd64}\n\(Self.remote)\nmachines:\n  db: {target: c3}\n  web: {count: 2}\n")
        #expect(text.contains("Placement: c-db-1 → c3; the others by spread round-robin over the ONLINE members"))
        #expect(!text.contains("migration"))
    }

    @Test("without targets the plan says spread decides")
    func spreadOnly() throws {
        let lxd = "lxd: {url: \"https://10.99.0.11:8443\", client_cert: /tmp/c.crt, client_key: /tmp/c.key, server_cert: /tmp/s.crt, spread: fewest-instances}"
        let text = try Self.rendered("name: c\ngold: {image: g}\n\(lxd)\nmachines:\n  web: {count: 2}\n")
        #expect(text.contains("every machine by spread fewest-instances"))
    }

    @Test("a snapshot gold on a remote is a migration: suggest publishing an image")
    func snapshotGoldIsMigration() throws {
        let text = try Self.rendered("name: c\n\(Self.remote)\nmachines:\n  web: {count: 2}\n")
        #expect(text.contains("is a migration"))
        #expect(text.contains("goldfleet gold publish gold/snap1"))
        #expect(text.contains("gold: {image: ALIAS}"))
    }

    @Test("a local standalone plan says nothing about members")
    func local() throws {
        let text = try Self.rendered("name: c\nmachines:\n  web: {count: 2}\n")
        #expect(!text.contains("Placement"))
    }
}
