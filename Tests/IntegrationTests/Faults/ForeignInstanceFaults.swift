import Foundation
import Testing
@testable import LXDKit
@testable import Orchestrator

/// An instance with a machine's name that goldfleet did not create (EndToEndTests covers `up`
/// and `down` refusing it): `reset` refuses it too, and a managed sibling is still handled.
@Suite("Fault: foreign instance with a machine's name", .serialized, .integrationLane)
struct ForeignInstanceFaults {
    @Test("reset and down leave a foreign instance untouched")
    func resetAndDownLeaveItAlone() async throws {
        try await TestEnvironment.with(machines: "  web: {count: 1}") { env in
            let lxd = try LXDClient(endpoint: .unixSocket(path: Lab.socket))
            defer { Task { try? await lxd.shutdown() } }
            let foreign = "\(env.name)-web-1"
            try await Lab.lxc(["copy", Lab.goldSource, foreign, "-c", "\(Lab.testTagKey)=\(Lab.runID)"])
            defer { Task { _ = try? await Lab.lxc(["delete", "--force", foreign], allowFailure: true) } }
            let before = try #require(try await lxd.instance(named: foreign))

            let error = await #expect(throws: OrchestratorError.self) {
                _ = try await env.orchestrator(lxd).reset(try env.inventory(), machines: ["web-1"])
            }
            #expect(error?.message == "`web-1` is not a machine of environment `\(env.name)`")
            // Resetting the whole environment stops in the preflight, before touching anything.
            let all = await #expect(throws: OrchestratorError.self) {
                _ = try await env.orchestrator(lxd).reset(try env.inventory(), machines: [])
            }
            #expect(all?.message.contains("instance `\(foreign)` already exists and was not created by goldfleet") == true)

            let down = try await Lab.run("/usr/bin/env", env.environment.map { "\($0)=\($1)" } + [Lab.product("goldfleet"), "down", env.inventoryPath])
            #expect(down.exitCode == 0)
            #expect(down.stdout.contains("\(env.name): nothing to remove"))
            let after = try #require(try await lxd.instance(named: foreign))
            #expect(after.config == before.config && after.status == before.status)
            #expect(try await Fault.jujuMachineIDs(env) == [])
        }
    }
}
