import Foundation
import Testing
@testable import LXDKit
@testable import Orchestrator

/// Ctrl-C (SIGINT) to the `goldfleet up` binary in each phase: it exits non-zero, leaves only
/// tagged instances, and the next `up` converges with every machine.
@Suite("Fault: SIGINT in each phase", .serialized, .integrationLane)
struct InterruptFaults {
    static let juju = """
          applications:
            ubuntu: {charm: ubuntu, to: [web]}
            first: {charm: ubuntu, to: [web-1]}
            second: {charm: ubuntu, to: [web-2]}
          relations:
            - [ubuntu, first]
            - [ubuntu, second]
        """

    /// What the plain (non-TTY) progress lines show when the phase has begun.
    static let phases: [(name: String, marker: String)] = [
        ("cloning", "-web-1: … cloning"),
        ("waiting for IPv4", ": … waiting for IPv4"),
        ("wheelhouse sync", ": … syncing wheelhouse"),
        ("juju placement", "• juju deploy "),
    ]

    @Test("interrupted, then converged", arguments: phases.map(\.name))
    func interruptThenConverge(phase: String) async throws {
        let marker = try #require(Self.phases.first { $0.name == phase }?.marker)
        try await TestEnvironment.with(machines: "  web: {count: 2}", juju: Self.juju) { env in
            let lxd = try LXDClient(endpoint: .unixSocket(path: Lab.socket))
            defer { Task { try? await lxd.shutdown() } }
            let up = try GoldfleetProcess(["up", env.inventoryPath], environment: env.environment)
            let reached = try await up.waitForStderr(containing: marker)
            up.interrupt()
            let status = try await up.wait()
            #expect(reached, "never saw `\(marker)`:\n\(up.stderr)")
            #expect(status != 0, "exit \(status) after SIGINT in \(phase):\n\(up.stdout)\n\(up.stderr)")
            #expect(up.stderr.contains("interrupted: finishing the steps in flight"))
            #expect(try await Fault.onlyTaggedInstances(env, lxd))
            if phase == "juju placement" {
                // The deploy in flight finished; the commands after it were not started.
                #expect(up.stdout.contains("interrupted before `juju "), "\(up.stdout)")
            }

            let rerun = try await Lab.run("/usr/bin/env", env.environment.map { "\($0)=\($1)" } + [Lab.product("goldfleet"), "up", env.inventoryPath, "--json"])
            #expect(rerun.exitCode == 0, "\(rerun.stdout)\n\(rerun.stderr)")
            let report = try JSONDecoder().decode(UpReport.self, from: Data(rerun.stdout.utf8))
            #expect(report.succeeded && report.machines.map(\.name) == ["\(env.name)-web-1", "\(env.name)-web-2"])
            let status2 = try await env.juju().status()
            #expect(status2.machines.count == 2)
            #expect(status2.application("ubuntu")?.units.count == 2)
            #expect(status2.application("first")?.units.count == 1)
            #expect(status2.application("second")?.units.count == 1)
            try await Fault.downLeavesNothing(env, lxd)
        }
    }
}
