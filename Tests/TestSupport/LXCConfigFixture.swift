import Foundation

/// A throwaway lxc client configuration (config.yml, servercerts/, client files) under a throwaway HOME.
public enum LXCConfigFixture {
    /// A throwaway HOME, removed after the body.
    public static func withHome<T>(_ body: (String) throws -> T) throws -> T {
        let home = NSTemporaryDirectory() + "gft-lxc-home-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        return try body(home)
    }

    /// Writes an lxc config directory: config.yml with `remotes`, and the certificate files asked for.
    public static func writeConfig(_ directory: String, remotes: String, files: [String] = ["client.crt", "client.key"]) throws {
        try FileManager.default.createDirectory(atPath: directory + "/servercerts", withIntermediateDirectories: true)
        try "default-remote: local\nremotes:\n\(remotes)\naliases: {}\n".write(toFile: directory + "/config.yml", atomically: true, encoding: .utf8)
        for file in files { try "PEM\n".write(toFile: directory + "/" + file, atomically: true, encoding: .utf8) }
    }

    public static let labRemote = "  lab:\n    addr: https://127.0.0.1:8443\n    protocol: lxd\n    auth_type: tls\n    public: false"
}
