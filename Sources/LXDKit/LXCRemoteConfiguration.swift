import Foundation
import Yams

/// A remote from the user's own `lxc` client configuration (`lxc remote list`), read the way
/// `lxc` reads it: `config.yml` (`remotes: NAME: {addr: …}`) in the client's config directory,
/// with the client certificate pair `client.crt`/`client.key` beside it and the server
/// certificate `lxc remote add` accepted in `servercerts/NAME.crt`.
public struct LXCRemoteConfiguration: Sendable, Equatable {
    public enum Address: Sendable, Equatable {
        /// `unix://` (the default socket, path nil) or `unix:///path`.
        case unixSocket(path: String?)
        case https(LXDRemote)
    }

    public let name: String
    /// The `config.yml` it was found in.
    public let configFile: String
    public let address: Address

    /// The client's config directories in the order they are searched. `lxc` uses `$LXD_CONF`
    /// alone when set; otherwise the snap's `lxc` keeps its config in ~/snap/lxd/common/config
    /// and the deb's in ~/.config/lxc (`lxc` ignores XDG_CONFIG_HOME).
    public static func directories(environment: [String: String]) -> [String] {
        if let explicit = environment["LXD_CONF"], !explicit.isEmpty { return [explicit] }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return [home + "/snap/lxd/common/config", home + "/.config/lxc"]
    }

    /// The remote `name` from the first config directory that has it; nil when none has.
    /// Throws when the remote exists but goldfleet cannot use it, saying why.
    public static func find(_ name: String, environment: [String: String]) throws -> LXCRemoteConfiguration? {
        guard let found = try entry(name, environment: environment) else { return nil }
        return try parse(name: name, entry: found.entry, directory: found.directory, file: found.file)
    }

    /// The raw `remotes: NAME:` entry from the first config directory that has it, with where it
    /// was found; image servers (`protocol: simplestreams`) included.
    public static func entry(_ name: String, environment: [String: String]) throws -> (entry: [String: Any], directory: String, file: String)? {
        for directory in directories(environment: environment) {
            let file = directory + "/config.yml"
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            let remotes: [String: Any]
            do {
                let config = try Yams.load(yaml: text) as? [String: Any]
                remotes = config?["remotes"] as? [String: Any] ?? [:]
            } catch {
                throw LXDConnection.Failure(message: "cannot read the lxc client configuration \(file): \(error)",
                                            hint: "check it with `lxc remote list`")
            }
            guard let entry = remotes[name] else { continue }
            return (entry as? [String: Any] ?? [:], directory, file)
        }
        return nil
    }

    static func parse(name: String, entry: Any, directory: String, file: String) throws -> LXCRemoteConfiguration {
        let remote = entry as? [String: Any] ?? [:]
        guard let address = remote["addr"] as? String, !address.isEmpty else {
            throw LXDConnection.Failure(message: "the lxc remote `\(name)` in \(file) has no `addr`",
                                        hint: "add it again: `lxc remote remove \(name)` and `lxc remote add \(name) https://HOST:8443`")
        }
        let fix = "name a remote added with `lxc remote add NAME https://HOST:8443` (see `lxc remote list`)"
        if (remote["protocol"] as? String) == "simplestreams" || (remote["public"] as? Bool) == true {
            throw LXDConnection.Failure(message: "the lxc remote `\(name)` (\(address)) is a public image server, not an LXD daemon goldfleet can create instances on",
                                        hint: fix)
        }
        // goldfleet's client speaks to the default project only; another would silently be ignored.
        if let project = remote["project"] as? String, !project.isEmpty, project != "default" {
            throw LXDConnection.Failure(message: "the lxc remote `\(name)` (\(address)) uses LXD project `\(project)`; goldfleet works in the default project only",
                                        hint: "add a remote for the default project (`lxc remote add \(name)-default \(address)` without --project) and name that one")
        }
        if address.hasPrefix("unix:") {
            var path = address.dropFirst("unix:".count)
            if path.hasPrefix("//") { path = path.dropFirst(2) }
            return LXCRemoteConfiguration(name: name, configFile: file, address: .unixSocket(path: path.isEmpty ? nil : String(path)))
        }
        if let auth = remote["auth_type"] as? String, !auth.isEmpty, auth != "tls" {
            throw LXDConnection.Failure(message: "the lxc remote `\(name)` (\(address)) authenticates with \(auth); goldfleet uses TLS client certificates only",
                                        hint: "add it as a TLS remote (`lxc remote add \(name)-tls \(address) --auth-type=tls`) and name that one")
        }
        let paths = (certificate: directory + "/client.crt", key: directory + "/client.key", server: directory + "/servercerts/\(name).crt")
        for (what, path) in [("client certificate", paths.certificate), ("client key", paths.key)]
        where !FileManager.default.fileExists(atPath: path) {
            throw LXDConnection.Failure(message: "the lxc remote `\(name)` (\(address)) has no \(what): \(path) is missing",
                                        hint: "`lxc remote add` creates the client certificate pair in \(directory); add the remote again, or give `lxd.url` with `client_cert` and `client_key`")
        }
        // lxc keeps no server certificate when a CA the system trusts signed it; goldfleet only pins.
        guard FileManager.default.fileExists(atPath: paths.server) else {
            throw LXDConnection.Failure(message: "the lxc remote `\(name)` (\(address)) has no pinned server certificate: \(paths.server) is missing",
                                        hint: "give `lxd.url: \(address)` with `client_cert: \(paths.certificate)`, `client_key: \(paths.key)` and `server_fingerprint:` (`lxc info` on the server shows it as certificate_fingerprint)")
        }
        return LXCRemoteConfiguration(name: name, configFile: file, address: .https(LXDRemote(
            url: address, clientCertificatePath: paths.certificate, clientKeyPath: paths.key, serverCertificatePath: paths.server)))
    }
}
