import Foundation
@testable import GoldfleetCore

/// An in-process stand-in for running juju: records every command and answers from a script.
final class FakeJujuRunner: ProcessRunning, @unchecked Sendable {
    typealias Responder = @Sendable (Command) -> ProcessResult
    private let lock = NSLock()
    private var recorded: [Command] = []
    private let respond: Responder

    init(_ respond: @escaping Responder = { _ in ProcessResult(exitCode: 0, standardOutput: "", standardError: "") }) {
        self.respond = respond
    }

    /// Answers by subcommand (the first argument); anything else succeeds silently.
    convenience init(bySubcommand answers: [String: ProcessResult]) {
        self.init { command in
            answers[command.arguments.first ?? ""] ?? ProcessResult(exitCode: 0, standardOutput: "", standardError: "")
        }
    }

    var commands: [Command] { lock.withLock { recorded } }
    var argvs: [[String]] { commands.map { [$0.executable] + $0.arguments } }

    func run(_ command: Command) async throws -> ProcessResult {
        lock.withLock { recorded.append(command) }
        return respond(command)
    }
}

enum JujuFixtures {
    static func text(_ name: String) throws -> String {
        guard let base = Bundle.module.resourceURL else { throw CocoaError(.fileNoSuchFile) }
        return try String(contentsOf: base.appendingPathComponent("Fixtures/juju/\(name)"), encoding: .utf8)
    }

    static func ok(_ stdout: String = "", stderr: String = "") -> ProcessResult {
        ProcessResult(exitCode: 0, standardOutput: stdout, standardError: stderr)
    }

    static func error(_ message: String, exitCode: Int32 = 1) -> ProcessResult {
        ProcessResult(exitCode: exitCode, standardOutput: "", standardError: "ERROR \(message)\n")
    }

    static let noMachines = #"{"model":"m","machines":{}}"#
}
