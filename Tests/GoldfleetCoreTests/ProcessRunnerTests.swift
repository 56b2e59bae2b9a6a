import Foundation
import Testing
@testable import GoldfleetCore

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

    @Test("command lines render with shell quoting for messages", arguments: [
        (Command("juju", ["deploy", "ch:foo", "--to", "0"]), "juju deploy ch:foo --to 0"),
        (Command("juju", ["config", "a b", "it's"]), "juju config 'a b' 'it'\\''s'"),
    ])
    func rendering(command: Command, expected: String) {
        #expect(command.description == expected)
    }
}
