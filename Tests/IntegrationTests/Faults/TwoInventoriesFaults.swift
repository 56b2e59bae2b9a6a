import Foundation
import Testing
@testable import Gold
@testable import Inventory
@testable import LXDKit
@testable import Orchestrator

/// Two inventory files with the same `name:`: an environment is its name AND the inventory
/// that made it, so neither touches the other's instances unless told to (`--adopt`).
@Suite("Fault: two inventories with the same name", .serialized, .integrationLane)
struct TwoInventoriesFaults {
    /// A second inventory file beside the environment's own, with the same content (so the same
    /// `name:`, wheelhouse and machines).
    static func otherInventory(_ env: TestEnvironment) throws -> String {
        let path = env.directory + "/other.yaml"
        try FileManager.default.copyItem(atPath: env.inventoryPath, toPath: path)
        return path
    }

    @Test("up, reset and down of the other inventory refuse and touch nothing; --adopt takes over")
    func otherInventoryRefusedUntilAdopt() async throws {
        try await TestEnvironment.with(machines: "  web: {count: 1}") { env in
            let lxd = try LXDClient(endpoint: .unixSocket(path: Lab.socket))
            defer { Task { try? await lxd.shutdown() } }
            let orchestrator = env.orchestrator(lxd)
            let first = try await orchestrator.up(try env.inventory())
            try #require(first.succeeded, "\(first.json())")
            let machine = "\(env.name)-web-1"
            let mine = InventoryOwnership.canonicalPath(env.inventoryPath)
            let otherPath = try Self.otherInventory(env)
            let theirs = InventoryOwnership.canonicalPath(otherPath)
            let other = try InventoryLoader.load(contentsOf: otherPath)
            let before = try #require(try await lxd.instance(named: machine))
            #expect(before.config[InstanceTags.inventory] == mine)

            let refused = await #expect(throws: InventoryMismatch.self) { _ = try await orchestrator.up(other) }
            #expect(refused?.message == "environment `\(env.name)` was made from another inventory than \(theirs): \(mine) made \(machine) — nothing was touched")
            await #expect(throws: InventoryMismatch.self) { _ = try await orchestrator.reset(other, machines: []) }
            await #expect(throws: InventoryMismatch.self) { _ = try await orchestrator.down(environment: env.name, inventory: otherPath) }
            // The command line says the same and fails.
            let cli = try await Lab.run("/usr/bin/env", env.environment.map { "\($0)=\($1)" } + [Lab.product("goldfleet"), "down", otherPath])
            #expect(cli.exitCode != 0)
            #expect(cli.stderr.contains("was made from another inventory than \(theirs)"), "\(cli.stderr)")
            #expect(cli.stderr.contains("--adopt"), "\(cli.stderr)")
            let after = try #require(try await lxd.instance(named: machine))
            #expect(after.config == before.config && after.status == before.status)
            #expect(try await Fault.jujuMachineIDs(env) == first.machines.compactMap(\.jujuMachine))

            // The owner is unaffected: a no-change up.
            let again = try await orchestrator.up(try env.inventory())
            #expect(again.succeeded && again.machines.allSatisfy { $0.unchanged }, "\(again.json())")

            // A report that cannot be written (`down` relies on it) fails the run, and says where.
            let reportPath = env.state.report(for: env.name)
            try FileManager.default.removeItem(atPath: reportPath)
            try FileManager.default.createDirectory(atPath: reportPath, withIntermediateDirectories: false)
            let unrecorded = try await orchestrator.up(try env.inventory())
            #expect(!unrecorded.succeeded && unrecorded.machines.allSatisfy { $0.unchanged && $0.failure == nil })
            #expect(unrecorded.errors.map(\.step) == ["report"])
            #expect(unrecorded.errors.first?.message.hasPrefix("could not write \(reportPath): ") == true, "\(unrecorded.json())")
            try FileManager.default.removeItem(atPath: reportPath)

            // --adopt: the other inventory takes the instance over; now the first one is the stranger.
            let adopted = try await orchestrator.up(other, adopt: true)
            #expect(adopted.succeeded, "\(adopted.json())")
            #expect(adopted.machines.map(\.jujuMachine) == first.machines.map(\.jujuMachine))
            #expect(try await lxd.instance(named: machine)?.config[InstanceTags.inventory] == theirs)
            await #expect(throws: InventoryMismatch.self) { _ = try await orchestrator.up(try env.inventory()) }

            // `down NAME` works for the one owner.
            let down = try await orchestrator.down(environment: env.name)
            #expect(down.removed.map(\.instance) == [machine] && down.failures.isEmpty)
            #expect(try await Fault.jujuMachineIDs(env) == [])
        }
    }

    @Test("down NAME over instances from two inventories refuses; down FILE removes only that file's")
    func downPicksTheInventory() async throws {
        try await TestEnvironment.with(machines: "  web: {count: 2}") { env in
            let lxd = try LXDClient(endpoint: .unixSocket(path: Lab.socket))
            defer { Task { try? await lxd.shutdown() } }
            let orchestrator = env.orchestrator(lxd)
            let first = try await orchestrator.up(try env.inventory())
            try #require(first.succeeded, "\(first.json())")
            // As an older goldfleet could leave it: one instance of the name made from another file.
            let otherPath = try Self.otherInventory(env)
            let theirs = InventoryOwnership.canonicalPath(otherPath)
            try await lxd.updateConfig("\(env.name)-web-2", set: [InstanceTags.inventory: theirs])

            let byName = await #expect(throws: InventoryMismatch.self) { _ = try await orchestrator.down(environment: env.name) }
            #expect(byName?.message.contains("made from 2 inventory files") == true)
            #expect(byName?.hint?.contains("`goldfleet down \(theirs)`") == true)
            #expect(try await Fault.instances(of: env, lxd).count == 2)

            let mine = try await orchestrator.down(environment: env.name, inventory: env.inventoryPath)
            #expect(mine.removed.map(\.instance) == ["\(env.name)-web-1"] && mine.failures.isEmpty)
            #expect(mine.leftAlone == [theirs: ["\(env.name)-web-2"]])
            let left = try await Fault.instances(of: env, lxd)
            #expect(left.map(\.name) == ["\(env.name)-web-2"])
            let ids = Dictionary(uniqueKeysWithValues: first.machines.map { ($0.name, $0.jujuMachine) })
            #expect(try await Fault.jujuMachineIDs(env) == [ids["\(env.name)-web-2"]!].compactMap { $0 })

            let rest = try await orchestrator.down(environment: env.name, inventory: otherPath)
            #expect(rest.removed.map(\.instance) == ["\(env.name)-web-2"])
            #expect(try await Fault.instances(of: env, lxd).isEmpty)
            #expect(try await Fault.jujuMachineIDs(env) == [])
        }
    }
}
