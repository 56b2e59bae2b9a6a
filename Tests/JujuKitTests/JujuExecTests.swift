import Foundation
import TestSupport
import Testing
@testable import GoldfleetSupport
@testable import JujuKit

/// `juju exec` on one unit (what `cycle --sync` fires hooks with): the command line, and what
/// juju's answer means on 3.x and 2.9.
@Suite("juju exec: command line and answer")
struct JujuExecTests {
    @Test("juju exec: 3.x's failed-task error gives the command's code, 2.9 passes it through, juju's own failure is an error")
    func execAnswer() {
        let v3 = JujuVersion(major: 3, minor: 6), v2 = JujuVersion(major: 2, minor: 9)
        let failed = ProcessResult(exitCode: 1, standardOutput: "out\nerr\n", standardError: """
            ERROR the following task failed:
             - id "12" with return code 3

            use 'juju show-task' to inspect the failure

            """)
        #expect(JujuCLI.commandExitCode(failed, version: v3) == 3)
        #expect(JujuCLI.commandOutput(failed) == "out\nerr\n")
        #expect(JujuCLI.commandExitCode(ProcessResult(exitCode: 0, standardOutput: "", standardError: ""), version: v3) == 0)
        #expect(JujuCLI.commandExitCode(ProcessResult(exitCode: 1, standardOutput: "", standardError: "ERROR unit \"x/0\" not found\n"), version: v3) == nil)
        #expect(JujuCLI.commandExitCode(ProcessResult(exitCode: 2, standardOutput: "", standardError: "boom\n"), version: v2) == 2)
        #expect(JujuCLI.commandExitCode(ProcessResult(exitCode: 1, standardOutput: "", standardError: "ERROR no such unit\n"), version: v2) == nil)
        #expect(JujuCLI.commandOutput(ProcessResult(exitCode: 2, standardOutput: "a", standardError: "b\n")) == "a\nb\n")
        #expect(JujuCLI.execSubcommand(v3) == "exec" && JujuCLI.execSubcommand(v2) == "run")
    }

    @Test("juju exec's command line: -m MODEL, --unit, the commands after --")
    func execCommandLine() async throws {
        let runner = FakeJujuRunner { _ in ProcessResult(exitCode: 0, standardOutput: "ok\n", standardError: "") }
        let juju = JujuCLI(executable: "/usr/bin/juju", model: "m", runner: runner)
        let result = try await juju.exec(unit: "a/0", commands: "JUJU_DISPATCH_PATH=hooks/x ./dispatch", version: JujuVersion(major: 3, minor: 6))
        #expect(result == JujuExecResult(exitCode: 0, output: "ok\n"))
        #expect(runner.argvs == [["/usr/bin/juju", "exec", "-m", "m", "--unit", "a/0", "--", "JUJU_DISPATCH_PATH=hooks/x ./dispatch"]])
    }
}
