import Foundation
import GoldfleetSupport

/// What a command run through `juju exec` on one unit left: its exit status and its output.
public struct JujuExecResult: Sendable, Equatable {
    /// The command's own exit status on the unit.
    public var exitCode: Int32
    /// Its stdout then stderr, as juju printed them (juju's own error lines left out).
    public var output: String

    public init(exitCode: Int32, output: String) {
        self.exitCode = exitCode
        self.output = output
    }
}

extension JujuCLI {
    /// `juju exec -m MODEL --unit UNIT -- COMMANDS` (3.x; `juju run` on 2.9): the commands run on
    /// the unit as root, in its charm directory, in the unit's hook context. A command that
    /// exits non-zero is a result, not an error; juju failing itself (no such unit, no machine)
    /// throws `JujuError`.
    public func exec(unit: String, commands: String, version: JujuVersion) async throws -> JujuExecResult {
        let command = modelCommand(Self.execSubcommand(version), ["--unit", unit, "--", commands])
        let result = try await runner.run(command)
        guard let exitCode = Self.commandExitCode(result, version: version) else {
            throw JujuError(command: command, result: result)
        }
        return JujuExecResult(exitCode: exitCode, output: Self.commandOutput(result))
    }

    /// `exec` since 3.0; on 2.9 the same command is `run` (3.x's `run` runs actions).
    static func execSubcommand(_ version: JujuVersion) -> String { version.major >= 3 ? "exec" : "run" }

    /// The command's exit status, or nil when the non-zero exit is juju's own failure.
    /// 3.x prints its outcome and fails with "the following task failed: - id "N" with return
    /// code RC" (cmd/juju/action/exec.go, runCommandBase); 2.9's `run` exits with a single
    /// target's code (cmd/juju/commands/run.go), and prints `ERROR` only for its own failures.
    static func commandExitCode(_ result: ProcessResult, version: JujuVersion) -> Int32? {
        guard result.exitCode != 0 else { return 0 }
        if version.major >= 3 {
            guard let block = result.standardError.range(of: failedTasks, options: .backwards),
                  let code = result.standardError[block.upperBound...].range(of: "with return code ") else { return nil }
            return Int32(result.standardError[code.upperBound...].prefix { $0.isNumber })
        }
        let last = result.standardError.split(separator: "\n").last ?? ""
        return last.hasPrefix("ERROR ") ? nil : result.exitCode
    }

    /// How 3.x starts the error it fails with when a task's command exited non-zero.
    static let failedTasks = "ERROR the following task"

    /// stdout, then stderr up to juju's own `ERROR` block.
    static func commandOutput(_ result: ProcessResult) -> String {
        var stderr = result.standardError
        if let range = stderr.range(of: failedTasks, options: .backwards) { stderr = String(stderr[..<range.lowerBound]) }
        let stdout = result.standardOutput
        if stdout.isEmpty || stderr.isEmpty { return stdout + stderr }
        return stdout.hasSuffix("\n") ? stdout + stderr : stdout + "\n" + stderr
    }
}
