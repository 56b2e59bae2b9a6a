import Foundation
import Testing
@testable import Gold
@testable import LXDKit
@testable import Orchestrator

/// An inventory edited after `up` (a group removed, an application removed): `plan` shows the
/// drift, `up` leaves it and says so, `up --prune` removes it and only it. Real LXD, real sshd,
/// the Juju double speaking juju 2.9 and 3.x.
@Suite("Drift end to end", .serialized, .integrationLane)
struct DriftEndToEndTests {
    static let machines = """
          web: {count: 1}
          db: {count: 1}
        """
    static let juju = """
          applications:
            ubuntu: {charm: ubuntu, to: [web, db]}
            postgresql: {charm: postgresql, to: [db]}
        """
    static let shrunkJuju = """
          applications:
            ubuntu: {charm: ubuntu, to: [web]}
        """

    @Test("plan shows it, up leaves and lists it, up --prune removes exactly it", arguments: ["2.9", "3.x"])
    func shrinkThenPrune(jujuLine: String) async throws {
        try await TestEnvironment.with(machines: Self.machines, juju: Self.juju, jujuLine: jujuLine) { env in
            let lxd = try LXDClient(endpoint: .unixSocket(path: Lab.socket))
            defer { Task { try? await lxd.shutdown() } }
            let orchestrator = env.orchestrator(lxd)
            let web = "\(env.name)-web-1", db = "\(env.name)-db-1"

            let first = try await orchestrator.up(try env.inventory())
            try #require(first.succeeded, "\(first.json())")
            #expect(first.left == Drift())
            let ids = Dictionary(uniqueKeysWithValues: first.machines.map { ($0.name, $0.jujuMachine!) })
            let dbAddress = try #require(first.machines.first { $0.name == db }?.ipv4)
            let webAddress = try #require(first.machines.first { $0.name == web }?.ipv4)
            let before = try await env.juju().status()
            let ubuntuOnDB = try #require(before.application("ubuntu")?.units.first { $0.machine == ids[db] }?.name)

            // The inventory loses the db group and postgresql.
            try env.writeInventory(gold: Lab.goldSource, lxd: "  pool: \(Lab.pool)", machines: "  web: {count: 1}", juju: Self.shrunkJuju)
            let shrunk = try env.inventory()
            let expected = Drift(instances: [.init(name: db, group: "db", jujuMachine: ids[db])],
                                 jujuUnits: [ubuntuOnDB], jujuApplications: ["postgresql"], jujuMachines: [ids[db]!])

            // plan (the binary) reads the live state and shows the drift with its removals.
            let plan = try GoldfleetProcess(["plan", env.inventoryPath], environment: env.environment)
            #expect(try await plan.wait() == 0, "\(plan.stderr)")
            let flag = jujuLine == "3.x" ? " --no-prompt" : ""
            #expect(plan.stdout.contains("""
                  juju remove-unit -m \(env.name) \(ubuntuOnDB)\(flag)
                  juju remove-application -m \(env.name) postgresql\(flag)
                  juju remove-machine -m \(env.name) \(ids[db]!) --force\(flag)
                  delete instance \(db) (group db, goldfleet's, made from this inventory)
                """), "\(plan.stdout)")
            #expect(!plan.stdout.contains("could not read"), "\(plan.stdout)")

            // up (the binary) without --prune converges, leaves the drift and lists it.
            let up = try GoldfleetProcess(["up", env.inventoryPath], environment: env.environment)
            #expect(try await up.wait() == 0, "\(up.stdout)\(up.stderr)")
            #expect(up.stdout.contains("left in place (no longer in the inventory; `goldfleet up --prune` removes it):\n  left instance \(db) (group db, juju machine \(ids[db]!))\n  left juju application postgresql\n  left juju unit \(ubuntuOnDB) "), "\(up.stdout)")
            let leftAlone = try await orchestrator.up(shrunk)
            #expect(leftAlone.succeeded && leftAlone.left == expected && leftAlone.pruned == nil, "\(leftAlone.json())")
            #expect(try await lxd.instance(named: db) != nil)
            let kept = try await env.juju().status()
            #expect(kept.application("postgresql") != nil && kept.machines.contains { $0.id == ids[db] })
            #expect(kept.application("ubuntu")?.units.contains { $0.name == ubuntuOnDB } == true)

            // up --prune removes exactly that: the other instance and its juju machine stay.
            let pruned = try await orchestrator.up(shrunk, prune: true)
            #expect(pruned.succeeded, "\(pruned.json())")
            #expect(pruned.pruned == expected)
            #expect(pruned.left == Drift())
            #expect(try await lxd.instance(named: db) == nil)
            let webTags = try #require(try await lxd.instance(named: web)).config
            #expect(webTags[InstanceTags.jujuMachine] == ids[web])
            let after = try await env.juju().status()
            #expect(after.machines.map(\.id) == [ids[web]!])
            #expect(after.application("postgresql") == nil)
            #expect(after.application("ubuntu")?.units.map(\.machine) == [ids[web]])
            let known = (try? String(contentsOfFile: env.knownHosts, encoding: .utf8)) ?? ""
            #expect(!known.contains(dbAddress + " ") && known.contains(webAddress + " "))

            // Nothing left to prune; the environment is still converged.
            let again = try await orchestrator.up(shrunk, prune: true)
            #expect(again.succeeded && again.pruned == Drift() && again.machines.allSatisfy(\.unchanged), "\(again.json())")
        }
    }
}
