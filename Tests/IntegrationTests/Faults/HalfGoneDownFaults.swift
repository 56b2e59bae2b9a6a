import Foundation
import Testing
@testable import LXDKit
@testable import Orchestrator

/// `down` of an environment others have half taken apart: one instance deleted with `lxc`,
/// another machine removed from juju directly. `down` still succeeds and leaves nothing.
@Suite("Fault: down of a half-gone environment", .serialized, .integrationLane)
struct HalfGoneDownFaults {
    @Test("down removes what is left in LXD and juju and says what it did")
    func downHalfGone() async throws {
        try await TestEnvironment.with(machines: "  web: {count: 3}") { env in
            let lxd = try LXDClient(endpoint: .unixSocket(path: Lab.socket))
            defer { Task { try? await lxd.shutdown() } }
            let orchestrator = env.orchestrator(lxd)
            let up = try await orchestrator.up(try env.inventory())
            try #require(up.succeeded, "\(up.json())")
            let ids = Dictionary(uniqueKeysWithValues: up.machines.map { ($0.name, $0.jujuMachine!) })
            let (web1, web2, web3) = ("\(env.name)-web-1", "\(env.name)-web-2", "\(env.name)-web-3")

            try await Lab.lxc(["delete", "--force", web1])
            let removal = try await Lab.run("/usr/bin/env", env.environment.map { "\($0)=\($1)" } + [Lab.product("juju"), "remove-machine", "-m", env.name, ids[web2]!, "--force", "--no-prompt"])
            #expect(removal.exitCode == 0, "\(removal.stderr)")

            let result = try await Lab.run("/usr/bin/env", env.environment.map { "\($0)=\($1)" } + [Lab.product("goldfleet"), "down", env.inventoryPath, "--json"])
            #expect(result.exitCode == 0, "\(result.stdout)\n\(result.stderr)")
            let report = try JSONDecoder().decode(DownReport.self, from: Data(result.stdout.utf8))
            #expect(report.failures.isEmpty)
            // The deleted instance's juju machine is found through the last `up` report.
            #expect(report.removed.map(\.instance) == [web2, web3, web1])
            #expect(report.removed.last?.jujuMachine == ids[web1])
            #expect(report.removed.last?.jujuNote == "instance was already deleted; juju machine removed")
            #expect(report.removed.first { $0.instance == web2 }?.jujuNote == "already gone from juju")
            #expect(report.removed.first { $0.instance == web3 }?.jujuMachine == ids[web3])
            #expect(report.removed.first { $0.instance == web3 }?.jujuNote == nil)

            // Nothing of the environment is left: not in LXD, not in juju (web-1's juju machine
            // included, whose instance vanished behind goldfleet's back), no pinned host keys.
            #expect(try await Fault.instances(of: env, lxd).map(\.name) == [])
            #expect(try await env.juju().machines().map(\.id) == [])
            let pinned = (try? String(contentsOfFile: env.knownHosts, encoding: .utf8)) ?? ""
            for machine in up.machines { #expect(!pinned.contains(machine.ipv4! + " "), "\(machine.name)") }

            // And the plain output says what was removed.
            let again = try await Lab.run("/usr/bin/env", env.environment.map { "\($0)=\($1)" } + [Lab.product("goldfleet"), "down", env.inventoryPath])
            #expect(again.exitCode == 0)
            #expect(again.stdout.contains("\(env.name): nothing to remove"))
        }
    }
}
