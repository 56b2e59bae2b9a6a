import Foundation
import Testing

/// The `goldfleet` binary reads the SSH password from the variable the inventory names; juju,
/// and everything juju starts, never sees it (nor `GOLDFLEET_PASSWORD`).
@Suite("goldfleet keeps its secrets from juju", .serialized, .integrationLane)
struct SecretEnvironmentTests {
    @Test("up with `password: {env: …}`: every juju call runs without the password variables, with the rest")
    func jujuNeverSeesThePassword() async throws {
        try await TestEnvironment.with(machines: "  web: {count: 1}") { env in
            let variable = "GF_TEST_FLEET_PW_\(UUID().uuidString.prefix(6))"
            let text = try String(contentsOfFile: env.inventoryPath, encoding: .utf8)
                .replacingOccurrences(of: "password: {file: \(Lab.cacheDirectory)/ubuntu.password}", with: "password: {env: \(variable)}")
            try text.write(toFile: env.inventoryPath, atomically: true, encoding: .utf8)
            // A juju that writes down the environment it got, then is the Juju double.
            let juju = env.directory + "/juju-recording"
            let seen = env.directory + "/juju-environments"
            try "#!/bin/sh\nenv >> '\(seen)'\necho ---- >> '\(seen)'\nexec '\(Lab.product("juju"))' \"$@\"\n"
                .write(toFile: juju, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: juju)

            let password = try Lab.password()
            let decoy = "decoy-\(UUID().uuidString)"
            // Secrets reach goldfleet through its environment only, never argv.
            let up = try GoldfleetProcess(["up", env.inventoryPath], environment: env.environment.merging([
                "GOLDFLEET_JUJU": juju, variable: password, "GOLDFLEET_PASSWORD": decoy,
            ]) { $1 })
            let status = try await up.wait()
            #expect(status == 0, "\(up.stderr)")

            let recorded = try String(contentsOfFile: seen, encoding: .utf8)
            let calls = recorded.components(separatedBy: "----\n").filter { !$0.isEmpty }
            #expect(calls.count >= 3, "juju version, models, add-machine…: \(calls.count) calls")
            // Booleans only: a failing expectation must not print the password into the test log.
            let passwordLeaked = recorded.contains(password), decoyLeaked = recorded.contains(decoy)
            #expect(!passwordLeaked && !decoyLeaked)
            let variablesPassed = [variable, "GOLDFLEET_PASSWORD"].filter { recorded.contains("\($0)=") }
            #expect(variablesPassed == [])
            // The rest of goldfleet's environment is there.
            #expect(calls.allSatisfy { $0.contains("JUJU_DATA=\(env.jujuData)\n") && $0.contains("GOLDFLEET_TEST_RUN=") })
        }
    }
}
