import Foundation
import Testing
@testable import GoldfleetSupport
@testable import Inventory

@Suite("Running external programs")
struct ProcessRunnerTests {
    @Test("captures stdout, stderr and the exit code, and feeds stdin without argv")
    func capturesEverything() async throws {
        let runner = SystemProcessRunner()
        let result = try await runner.run(Command("/bin/sh", ["-c", "cat; echo oops >&2; exit 3"], standardInput: Array("secret\n".utf8)))
        #expect(result == ProcessResult(exitCode: 3, standardOutput: "secret\n", standardError: "oops\n"))
    }

    @Test("a missing program is a clear error")
    func missingProgram() async throws {
        await #expect(throws: ProcessLaunchError.self) {
            _ = try await SystemProcessRunner().run(Command("no-such-program-goldfleet", []))
        }
    }

    @Test("a cancelled run stops its program instead of leaving it running")
    func cancellationStopsTheProgram() async throws {
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("goldfleet-runner-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        let run = Task { try await SystemProcessRunner().run(Command("/bin/sh", ["-c", "echo $$ > \(pidFile); exec sleep 600"])) }
        var pid: pid_t?
        while pid == nil {
            try await Task.sleep(for: .milliseconds(20))
            pid = (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        run.cancel()
        _ = try? await run.value
        #expect(kill(pid!, 0) == -1 && errno == ESRCH, "sleep \(pid!) still runs after its task was cancelled")
    }

    /// `env -0` of a real child, as a dictionary (values may hold newlines).
    static func childEnvironment(_ runner: SystemProcessRunner, _ command: Command = Command("/usr/bin/env", ["-0"])) async throws -> [String: String] {
        let result = try await runner.run(command)
        #expect(result.exitCode == 0)
        var environment: [String: String] = [:]
        for entry in result.standardOutput.split(separator: "\0") {
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            environment[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return environment
    }

    @Test("a child never inherits GOLDFLEET_PASSWORD nor the inventory's password variable")
    func secretsAreWithheld() async throws {
        let parent = ["GOLDFLEET_PASSWORD": "s3cret-default", "FLEET_PW": "s3cret-inventory",
                      "PATH": "/usr/bin:/bin", "KEPT": "yes"]
        let runner = SystemProcessRunner(
            withholding: PasswordResolver.variables(of: .environment("FLEET_PW")), inheriting: parent)
        let result = try await runner.run(Command("/usr/bin/env", []))
        #expect(!result.standardOutput.contains("s3cret"), "\(result.standardOutput)")
        let child = try await Self.childEnvironment(runner)
        #expect(child == ["PATH": "/usr/bin:/bin", "KEPT": "yes"])
    }

    @Test("a secret set explicitly on the command is withheld too")
    func explicitSecretIsWithheld() async throws {
        let runner = SystemProcessRunner(inheriting: ["PATH": "/usr/bin:/bin"])
        let child = try await Self.childEnvironment(runner, Command(
            "/usr/bin/env", ["-0"], environment: ["GOLDFLEET_PASSWORD": "s3cret", "JUJU_DATA": "/tmp/jd"]))
        #expect(child == ["PATH": "/usr/bin:/bin", "JUJU_DATA": "/tmp/jd"])
    }

    @Test("the default runner passes goldfleet's whole environment on, secrets excepted")
    func restOfTheEnvironmentIsKept() async throws {
        let child = try await Self.childEnvironment(SystemProcessRunner())
        var expected = ProcessInfo.processInfo.environment
        expected["GOLDFLEET_PASSWORD"] = nil
        #expect(child == expected)
        #expect(child["PATH"] != nil)
    }

    @Test("only an environment-variable password source names a variable to withhold")
    func passwordVariables() {
        #expect(PasswordResolver.variables(of: .environment("FLEET_PW")) == ["FLEET_PW"])
        #expect(PasswordResolver.variables(of: .file("/etc/pw")).isEmpty)
        #expect(PasswordResolver.variables(of: .inline("x")).isEmpty)
        #expect(SystemProcessRunner().withheld == ["GOLDFLEET_PASSWORD"])
    }

    @Test("command lines render with shell quoting for messages", arguments: [
        (Command("juju", ["deploy", "ch:foo", "--to", "0"]), "juju deploy ch:foo --to 0"),
        (Command("juju", ["config", "a b", "it's"]), "juju config 'a b' 'it'\\''s'"),
    ])
    func rendering(command: Command, expected: String) {
        #expect(command.description == expected)
    }
}
