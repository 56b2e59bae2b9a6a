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

    @Test("command lines render with shell quoting for messages", arguments: [
        (Command("juju", ["deploy", "ch:foo", "--to", "0"]), "juju deploy ch:foo --to 0"),
        (Command("juju", ["config", "a b", "it's"]), "juju config 'a b' 'it'\\''s'"),
    ])
    func rendering(command: Command, expected: String) {
        #expect(command.description == expected)
    }
}
