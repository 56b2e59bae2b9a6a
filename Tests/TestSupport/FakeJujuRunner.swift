import Foundation
import GoldfleetSupport

/// An in-process stand-in for running juju: records every command and answers from a script.
public final class FakeJujuRunner: ProcessRunning, @unchecked Sendable {
    public typealias Responder = @Sendable (Command) -> ProcessResult
    private let lock = NSLock()
    private var recorded: [Command] = []
    private let respond: Responder

    public init(_ respond: @escaping Responder = { _ in ProcessResult(exitCode: 0, standardOutput: "", standardError: "") }) {
        self.respond = respond
    }

    /// Answers by subcommand (the first argument); anything else succeeds silently.
    public convenience init(bySubcommand answers: [String: ProcessResult]) {
        self.init { command in
            answers[command.arguments.first ?? ""] ?? ProcessResult(exitCode: 0, standardOutput: "", standardError: "")
        }
    }

    public var commands: [Command] { lock.withLock { recorded } }
    public var argvs: [[String]] { commands.map { [$0.executable] + $0.arguments } }

    public func run(_ command: Command) async throws -> ProcessResult {
        lock.withLock { recorded.append(command) }
        return respond(command)
    }
}

public enum JujuFixtures {
    public static func text(_ name: String) throws -> String {
        try String(contentsOf: InventoryFixtures.url("juju/\(name)"), encoding: .utf8)
    }

    public static func ok(_ stdout: String = "", stderr: String = "") -> ProcessResult {
        ProcessResult(exitCode: 0, standardOutput: stdout, standardError: stderr)
    }

    public static func error(_ message: String, exitCode: Int32 = 1) -> ProcessResult {
        ProcessResult(exitCode: exitCode, standardOutput: "", standardError: "ERROR \(message)\n")
    }

    public static let noMachines = #"{"model":"m","machines":{}}"#
}
