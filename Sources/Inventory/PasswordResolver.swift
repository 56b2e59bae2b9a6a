import Foundation
import GoldfleetSupport

/// Reads the SSH password from where the inventory says it is. The errors name the source, never
/// the value.
public enum PasswordResolver {
    public struct Missing: UserFacingError {
        /// Why the source gave no usable password; compare it (`missing.code == .notSet`)
        /// instead of the wording.
        public struct Code: Sendable, Hashable, CustomStringConvertible {
            private enum Value: String { case notSet, empty, unreadable, containsNUL }
            private let value: Value
            private init(_ value: Value) { self.value = value }
            public var description: String { value.rawValue }

            public static let notSet = Code(.notSet)
            public static let empty = Code(.empty)
            public static let unreadable = Code(.unreadable)
            public static let containsNUL = Code(.containsNUL)
        }

        public let source: PasswordSource
        public let code: Code
        public let reason: String
        public var message: String { "no SSH password: \(source) \(reason)" }
        /// The password holds a NUL: the source is there, the value is unusable.
        public var isNUL: Bool { code == .containsNUL }
        public var hint: String? {
            if isNUL { return PasswordResolver.nulFix }
            return switch source {
            case .environment(let name): "export \(name)=… before running goldfleet, or point `ssh.password` at a file: `password: {file: PATH}`"
            case .file(let path): "create \(path) holding the password on its first line (mode 600)"
            case .inline: "set `ssh.password` in the inventory"
            }
        }
    }

    /// The environment variables `source` reads a secret from: what every program goldfleet
    /// starts must not inherit (`SystemProcessRunner(withholding:)`).
    public static func variables(of source: PasswordSource) -> Set<String> {
        if case .environment(let name) = source { return [name] }
        return []
    }

    /// The largest password file read (a password is one line; this is no place for a dump).
    static let maximumFileBytes = 64 * 1024

    static let nulProblem = "contains a NUL character, which SSH cannot send"
    static let nulFix = "remove the NUL character: an SSH password is text that ends at NUL, so the rest would be lost (or worse, bytes after it sent)"

    /// Why `password` cannot be used, or `nil`. The one rule for every source (never names the value).
    public static func problem(with password: String) -> String? {
        password.utf8.contains(0) ? nulProblem : nil
    }

    public static func resolve(
        _ source: PasswordSource,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Secret {
        switch source {
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else { throw Missing(source: source, code: .notSet, reason: "is not set") }
            if let problem = problem(with: value) { throw Missing(source: source, code: .containsNUL, reason: problem) }
            return Secret(value)
        case .file(let path):
            // A FIFO or a device is refused by type, never waited on or read without end.
            let text: String
            do {
                text = try InputFile.readText(path, limit: maximumFileBytes)
            } catch {
                throw Missing(source: source, code: .unreadable, reason: "cannot be read: \(error.reason)")
            }
            let line = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard !line.isEmpty else { throw Missing(source: source, code: .empty, reason: "is empty") }
            if let problem = problem(with: line) { throw Missing(source: source, code: .containsNUL, reason: problem) }
            return Secret(line)
        case .inline(let value):
            guard !value.isEmpty else { throw Missing(source: source, code: .empty, reason: "is empty") }
            if let problem = problem(with: value) { throw Missing(source: source, code: .containsNUL, reason: problem) }
            return Secret(value)
        }
    }
}
