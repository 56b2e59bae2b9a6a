import Foundation
import Subprocess
import SystemPackage

/// An external program to run, as a value, so a test can assert the exact command line.
public struct Command: Sendable, Hashable, CustomStringConvertible {
    public var executable: String
    public var arguments: [String]
    /// Extra environment on top of what the runner passes on (never a withheld secret).
    public var environment: [String: String]
    /// Bytes written to the program's standard input (how secrets are passed, never on argv).
    public var standardInput: [UInt8]?

    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], standardInput: [UInt8]? = nil) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.standardInput = standardInput
    }

    /// A shell-like rendering for messages; arguments are quoted where needed.
    public var description: String {
        ([executable] + arguments).map { Self.quoted($0) }.joined(separator: " ")
    }

    /// `alsoSafe`: characters a display may leave bare although a shell would not (the plan
    /// shows `~` and `<…>` placeholders as they are).
    public static func quoted(_ word: String, alsoSafe: String = "") -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,@+%" + alsoSafe)
        if !word.isEmpty, word.allSatisfy({ safe.contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// What a finished program left behind.
public struct ProcessResult: Sendable, Equatable {
    public var exitCode: Int32
    public var standardOutput: String
    public var standardError: String

    public init(exitCode: Int32, standardOutput: String, standardError: String) {
        self.exitCode = exitCode
        self.standardOutput = standardOutput
        self.standardError = standardError
    }
}

/// Runs external programs. Injected everywhere so logic can be tested without spawning.
public protocol ProcessRunning: Sendable {
    func run(_ command: Command) async throws -> ProcessResult
}

public struct ProcessLaunchError: UserFacingError {
    public let command: Command
    public let reason: String
    public var message: String { "could not start `\(command.executable)`: \(reason)" }
    public var hint: String? { "check that `\(command.executable)` is installed and on PATH, or give its full path" }
}

/// Runs programs with swift-subprocess: no thread is blocked while a program runs (so eight
/// concurrent `juju add-machine` really run at once), pipes never leak into other children, and
/// a cancelled task stops its program — SIGTERM, then SIGKILL after a grace period.
///
/// A program gets goldfleet's environment minus `withheld`: the variables goldfleet reads
/// secrets from. juju, and everything juju starts, has no business with the SSH password.
public struct SystemProcessRunner: ProcessRunning {
    /// More output than this is an error, not an unbounded buffer.
    static let outputLimit = 64 << 20

    /// The variables no program ever gets, whatever the inventory says:
    /// `GOLDFLEET_PASSWORD`. Add the inventory's own with `PasswordResolver.variables(of:)`.
    public static let secretVariables: Set<String> = [Secret.passwordVariable]

    /// Names removed from every program's environment (also from `Command.environment`).
    public let withheld: Set<String>
    /// What a program inherits before `withheld` is removed: goldfleet's own environment.
    let inherited: [String: String]

    public init(
        withholding withheld: Set<String> = SystemProcessRunner.secretVariables,
        inheriting inherited: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.withheld = withheld.union(Self.secretVariables)
        self.inherited = inherited
    }

    /// The exact environment `command` runs with.
    func environment(for command: Command) -> [String: String] {
        var environment = inherited.merging(command.environment) { $1 }
        for name in withheld { environment[name] = nil }
        return environment
    }

    public func run(_ command: Command) async throws -> ProcessResult {
        guard let executable = Self.resolve(command.executable) else {
            throw ProcessLaunchError(command: command, reason: "not found")
        }
        var variables: [Environment.Key: String] = [:]
        for (key, value) in environment(for: command) {
            if let key = Environment.Key(rawValue: key) { variables[key] = value }
        }
        let environment = Environment.custom(variables)
        var options = PlatformOptions()
        // Its own process group: a Ctrl-C at the terminal reaches goldfleet only, which decides
        // what to stop (`Interruption`) instead of every program dying at once.
        options.processGroupID = 0
        options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: .seconds(3))]
        let result: ExecutionResult<Void, BytesOutput, BytesOutput>
        do {
            result = try await Subprocess.run(
                .path(FilePath(executable)), arguments: Arguments(command.arguments),
                environment: environment, platformOptions: options,
                input: .array(command.standardInput ?? []),
                output: .bytes(limit: Self.outputLimit), error: .bytes(limit: Self.outputLimit))
        } catch let error as SubprocessError {
            throw ProcessLaunchError(command: command, reason: "\(error)")
        }
        let exitCode: Int32 = switch result.terminationStatus {
        case .exited(let code): code
        case .signaled(let signal): 128 + Int32(signal)   // as a shell reports a killed program
        }
        return ProcessResult(
            exitCode: exitCode,
            standardOutput: String(decoding: result.standardOutput, as: UTF8.self),
            standardError: String(decoding: result.standardError, as: UTF8.self))
    }

    /// Finds `name` on PATH the way a shell would; absolute and relative paths pass through.
    public static func resolve(_ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        for dir in (path ?? "").split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
