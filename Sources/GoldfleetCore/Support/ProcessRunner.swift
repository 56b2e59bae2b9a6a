import Foundation

/// An external program to run, as a value, so a test can assert the exact command line.
public struct Command: Sendable, Hashable, CustomStringConvertible {
    public var executable: String
    public var arguments: [String]
    /// Extra environment on top of the current process's environment.
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
        ([executable] + arguments).map(Self.quoted).joined(separator: " ")
    }

    static func quoted(_ word: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,@+%")
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

/// Runs programs with Foundation's `Process`, reading both pipes concurrently so a chatty
/// program can never stall on a full pipe.
public struct SystemProcessRunner: ProcessRunning {
    public init() {}

    public func run(_ command: Command) async throws -> ProcessResult {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try Self.runBlocking(command) })
            }
        }
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

    private static func runBlocking(_ command: Command) throws -> ProcessResult {
        guard let executable = resolve(command.executable) else {
            throw ProcessLaunchError(command: command, reason: "not found")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = command.arguments
        if !command.environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(command.environment) { $1 }
        }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = command.standardInput == nil ? FileHandle.nullDevice : input
        do { try process.run() } catch {
            throw ProcessLaunchError(command: command, reason: error.localizedDescription)
        }
        if let bytes = command.standardInput {
            try? input.fileHandleForWriting.write(contentsOf: Data(bytes))
            try? input.fileHandleForWriting.close()
        }
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return ProcessResult(
            exitCode: process.terminationStatus,
            standardOutput: String(decoding: outData, as: UTF8.self),
            standardError: String(decoding: errData, as: UTF8.self)
        )
    }
}
