import Foundation
import Testing
@testable import Inventory
@testable import LXDKit
@testable import Orchestrator

/// `goldfleet cycle` fresh (issue 17 item 2, the default mode) against the Juju double, whose
/// units of a local charm really run their hooks: both machines become new clones of the gold,
/// the charm is deployed again with its placements and relation, every unit runs the edited
/// install hook; a failing hook makes the binary exit non-zero with the hook's output; Ctrl-C
/// in the middle, then `cycle` again, converges.
@Suite("cycle fresh runs the edited charm on new clones", .serialized, .integrationLane)
struct CycleFreshIntegrationTests {
    static let juju = """
          applications:
            sample: {charm: ./sample, to: [web]}
            ntp: {charm: ntp, num_units: 0}
          relations:
            - [ntp:juju-info, sample:juju-info]
        """

    static func prepare(_ env: TestEnvironment) async throws -> (Orchestrator, Inventory, [String], LXDClient) {
        try FileManager.default.copyItem(atPath: JujuDoubleLocalCharmTests.repositoryRoot.appendingPathComponent("charms/sample").path,
                                         toPath: env.directory + "/sample")
        let lxd = try LXDClient(endpoint: .unixSocket(path: Lab.socket))
        let orchestrator = env.orchestrator(lxd)
        let inventory = try env.inventory()
        let up = try await orchestrator.up(inventory)
        try #require(up.succeeded, "\(up.json())")
        let machines = ["\(env.name)-web-1", "\(env.name)-web-2"]
        for machine in machines {
            #expect(try await message(on: machine) == "hello from the sample charm, version 1")
        }
        return (orchestrator, inventory, machines, lxd)
    }

    static func message(on machine: String) async throws -> String {
        try await Lab.exec(in: machine, "cat /var/lib/sample/message").stdout.trimmingCharacters(in: .newlines)
    }

    /// `goldfleet ARGS…` as the user runs it, with the environment's juju double.
    static func goldfleet(_ env: TestEnvironment, _ arguments: [String]) async throws -> Lab.Output {
        try await Lab.run("/usr/bin/env", env.environment.map { "\($0)=\($1)" } + [Lab.product("goldfleet")] + arguments)
    }

    @Test("edit MESSAGE, cycle: new clones, the relation again, each unit ran install and start with the new line; a failing install hook fails the command with its output; fixed, cycle again",
          arguments: ["3.x", "2.9"])
    func freshLoop(jujuLine: String) async throws {
        try await TestEnvironment.with(machines: "  web: {count: 2}", juju: Self.juju, jujuLine: jujuLine) { env in
            let (orchestrator, inventory, machines, lxd) = try await Self.prepare(env)
            defer { Task { try? await lxd.shutdown() } }
            for machine in machines { _ = try await Lab.exec(in: machine, "touch /root/from-before-the-cycle") }

            try JujuDoubleLocalCharmTests.setMessage("hello from the sample charm, version 2", in: env.directory + "/sample")
            let report = try await orchestrator.cycleFresh(inventory, applications: [])
            #expect(report.succeeded, "\(report.json())")
            #expect(report.mode == "fresh")
            #expect(report.units.count == 2, "\(report.json())")
            for unit in report.units {
                #expect(unit.phases.map(\.name) == ["machine fresh", "charm uploaded", "install hook", "start hook"], "\(report.json())")
                #expect(unit.total > 0 && unit.failedHook == nil)
            }
            for machine in machines {
                #expect(try await Self.message(on: machine) == "hello from the sample charm, version 2")
                let old = try await Lab.exec(in: machine, "test -e /root/from-before-the-cycle", allowFailure: true)
                #expect(old.exitCode == 1, "\(machine) is not a new clone")
            }
            let status = try await env.juju().status()
            #expect(status.application("sample")?.units.count == 2)
            #expect(status.application("sample")?.relatedApplications == ["ntp"])
            #expect(status.machines.count == 2, "the old juju machines are gone: \(status.machines.map(\.id))")

            try JujuDoubleLocalCharmTests.setMessage("broken\"; echo 'about to fail'; exit 1; : \"", in: env.directory + "/sample")
            let failed = try await Self.goldfleet(env, ["cycle", env.inventoryPath])
            #expect(failed.exitCode != 0, "\(failed.stdout)\n\(failed.stderr)")
            #expect(failed.stdout.contains("hook \"install\" failed; its last lines:"), "\(failed.stdout)")
            #expect(failed.stdout.contains("DEBUG unit.sample/") && failed.stdout.contains(".install about to fail"), "\(failed.stdout)")

            // The developer fixes the line: the units stuck in the install error go too.
            try JujuDoubleLocalCharmTests.setMessage("hello from the sample charm, version 4", in: env.directory + "/sample")
            let fixed = try await orchestrator.cycleFresh(inventory, applications: ["sample"])
            #expect(fixed.succeeded && fixed.units.count == 2, "\(fixed.json())")
            for machine in machines {
                #expect(try await Self.message(on: machine) == "hello from the sample charm, version 4")
            }
        }
    }

    /// What the plain (non-TTY) progress lines show when each step of the cycle has begun.
    static let steps = [
        "• juju remove-application sample",
        "• removing ",
        "-web-1: … cloning",
        "• juju deploy ",
    ]

    @Test("Ctrl-C in each step of the cycle: it exits non-zero; cycle again converges with the new line on every unit",
          arguments: steps)
    func interruptedThenConverged(marker: String) async throws {
        try await TestEnvironment.with(machines: "  web: {count: 2}", juju: Self.juju) { env in
            let (_, _, machines, lxd) = try await Self.prepare(env)
            defer { Task { try? await lxd.shutdown() } }
            try JujuDoubleLocalCharmTests.setMessage("hello from the sample charm, version 3", in: env.directory + "/sample")

            let cycle = try GoldfleetProcess(["cycle", env.inventoryPath], environment: env.environment)
            let reached = try await cycle.waitForStderr(containing: marker, timeout: .seconds(120))
            cycle.interrupt()
            let exit = try await cycle.wait()
            #expect(reached, "never saw `\(marker)`:\n\(cycle.stderr)")
            #expect(exit != 0, "exit \(exit) after SIGINT:\n\(cycle.stdout)\n\(cycle.stderr)")
            #expect(cycle.stderr.contains("interrupted: finishing the steps in flight"))
            #expect(cycle.stderr.contains("cycle interrupted") && cycle.stderr.contains("run `goldfleet cycle \(env.inventoryPath)` again"),
                    "\(cycle.stderr)")
            #expect(try await Fault.onlyTaggedInstances(env, lxd))

            let again = try await Self.goldfleet(env, ["cycle", env.inventoryPath, "--json"])
            #expect(again.exitCode == 0, "\(again.stdout)\n\(again.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any]
            #expect((json?["units"] as? [Any])?.count == 2, "\(again.stdout)")
            for machine in machines {
                #expect(try await Self.message(on: machine) == "hello from the sample charm, version 3")
            }
            let status = try await env.juju().status()
            #expect(status.machines.count == 2 && status.application("sample")?.units.count == 2)
            #expect(status.application("sample")?.relatedApplications == ["ntp"])
        }
    }
}
