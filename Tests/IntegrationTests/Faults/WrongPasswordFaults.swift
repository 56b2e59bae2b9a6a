import Foundation
import Testing
@testable import LXDKit
@testable import Orchestrator

/// A password file with the wrong value: every machine stops at `login`, nothing reaches juju;
/// once the file is fixed, the same command converges.
@Suite("Fault: wrong password", .serialized, .integrationLane)
struct WrongPasswordFaults {
    @Test("every machine fails at login with `password rejected`, the fixed file converges")
    func wrongPasswordThenFixed() async throws {
        try await TestEnvironment.with(machines: "  web: {count: 2}") { env in
            let lxd = try LXDClient(endpoint: .unixSocket(path: Lab.socket))
            defer { Task { try? await lxd.shutdown() } }
            let passwordFile = env.directory + "/password"
            try "not-the-password\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
            let text = try String(contentsOfFile: env.inventoryPath, encoding: .utf8)
                .replacingOccurrences(of: "password: {file: \(Lab.cacheDirectory)/ubuntu.password}", with: "password: {file: \(passwordFile)}")
            try text.write(toFile: env.inventoryPath, atomically: true, encoding: .utf8)

            let result = try await Lab.run("/usr/bin/env", env.environment.map { "\($0)=\($1)" } + [Lab.product("goldfleet"), "up", env.inventoryPath, "--json"])
            #expect(result.exitCode != 0)
            let report = try JSONDecoder().decode(UpReport.self, from: Data(result.stdout.utf8))
            let names = ["\(env.name)-web-1", "\(env.name)-web-2"]
            #expect(report.machines.map(\.name) == names)
            for machine in report.machines {
                #expect(machine.failure?.step == "login")
                #expect(machine.failure?.message == "\(machine.name): SSH login failed: user ubuntu: password rejected by \(machine.ipv4 ?? "?")")
                #expect(machine.failure?.hint == "check the password of `ubuntu` in the gold image (it is the same in every clone)")
                #expect(machine.jujuMachine == nil)
            }
            // The wrong value never shows up anywhere the user sees.
            #expect(!result.stdout.contains("not-the-password") && !result.stderr.contains("not-the-password"))
            #expect(try await env.juju().machines().isEmpty)
            #expect(try await Fault.onlyTaggedInstances(env, lxd))

            try (try Lab.password() + "\n").write(toFile: passwordFile, atomically: true, encoding: .utf8)
            let fixed = try await env.orchestrator(lxd).up(try env.inventory())
            #expect(fixed.succeeded, "\(fixed.json())")
            #expect(fixed.machines.map(\.name) == names)
            // The clones of the failed run were resumed, not made again.
            #expect(fixed.machines.allSatisfy { $0.steps["clone"] == nil && $0.steps["login"] != nil })
            #expect(try await env.juju().machines().count == 2)
            try await Fault.downLeavesNothing(env, lxd)
        }
    }
}
