import Foundation

/// Reads the SSH password from where the inventory says it is. The errors name the source, never
/// the value.
public enum PasswordResolver {
    public struct Missing: UserFacingError {
        public let source: PasswordSource
        public let reason: String
        public var message: String { "no SSH password: \(source) \(reason)" }
        public var hint: String? {
            switch source {
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

    public static func resolve(
        _ source: PasswordSource,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Secret {
        switch source {
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else { throw Missing(source: source, reason: "is not set") }
            return Secret(value)
        case .file(let path):
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw Missing(source: source, reason: "cannot be read")
            }
            let line = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard !line.isEmpty else { throw Missing(source: source, reason: "is empty") }
            return Secret(line)
        case .inline(let value):
            guard !value.isEmpty else { throw Missing(source: source, reason: "is empty") }
            return Secret(value)
        }
    }
}
