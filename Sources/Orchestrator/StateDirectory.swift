import Foundation

/// Where goldfleet keeps what it knows about an environment on this host: the known_hosts file
/// with the pinned host keys of its machines, the lock, and the last report.
public struct StateDirectory: Sendable {
    public let root: String

    /// `$GOLDFLEET_STATE`, else `$XDG_STATE_HOME/goldfleet`, else `~/.local/state/goldfleet`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let explicit = environment["GOLDFLEET_STATE"], !explicit.isEmpty {
            root = explicit
        } else if let xdg = environment["XDG_STATE_HOME"], !xdg.isEmpty {
            root = xdg + "/goldfleet"
        } else {
            root = (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state/goldfleet"
        }
    }

    public init(root: String) { self.root = root }

    public func directory(for environment: String) -> String { "\(root)/\(environment)" }
    public func knownHosts(for environment: String) -> String { "\(directory(for: environment))/known_hosts" }
    public func lock(for environment: String) -> String { "\(directory(for: environment))/lock" }
    public func report(for environment: String) -> String { "\(directory(for: environment))/last-report.json" }

    /// Creates the environment's directory (mode 700: it holds host keys and reports).
    public func prepare(_ environment: String) throws {
        try FileManager.default.createDirectory(
            atPath: directory(for: environment), withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
    }
}
