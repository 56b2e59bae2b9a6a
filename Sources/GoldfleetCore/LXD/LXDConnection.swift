import Foundation
import Yams

/// Turns where an inventory says LXD is (`lxd:` section) into an endpoint the client can use.
/// Remotes are read from the `lxc` client's own configuration, deb and snap installs alike.
public enum LXDConnection {
    public struct Failure: UserFacingError {
        public let message: String
        public let hint: String?
    }

    public static func endpoint(
        for location: LXDLocation?, socket: String?, environment: [String: String]
    ) async throws -> LXDEndpoint {
        switch location ?? .localSocket {
        case .localSocket:
            return .unixSocket(path: try await LXDClient.discoverSocket(explicit: socket, environment: environment))
        case .socket(let path):
            return .unixSocket(path: path)
        case .url(let url, let tls):
            guard let certificate = tls.clientCertificatePath, let key = tls.clientKeyPath else {
                throw Failure(message: "LXD at \(url) needs a client certificate and key",
                              hint: "set `lxd.client_cert` and `lxd.client_key` (the files `lxc remote add` keeps in ~/.config/lxc/)")
            }
            guard let server = tls.serverCertificatePath else {
                throw Failure(message: "LXD at \(url): the server certificate to pin is missing",
                              hint: "set `lxd.server_cert` to the daemon's certificate (its server.crt, or `lxc remote add` keeps it in ~/.config/lxc/servercerts/NAME.crt)")
            }
            return .https(LXDRemote(url: url, clientCertificatePath: certificate, clientKeyPath: key, serverCertificatePath: server))
        case .remote(let name):
            return try remote(named: name, environment: environment)
        }
    }

    /// The `lxc` client configuration directories, in the order `lxc` itself prefers.
    static func configDirectories(environment: [String: String]) -> [String] {
        let home = environment["HOME"] ?? NSHomeDirectory()
        var directories: [String] = []
        if let explicit = environment["LXD_CONF"], !explicit.isEmpty { directories.append(explicit) }
        directories.append(home + "/snap/lxd/common/config")
        directories.append((environment["XDG_CONFIG_HOME"].map { $0 + "/lxc" }) ?? home + "/.config/lxc")
        return directories
    }

    /// A remote from `config.yml` (`remotes: NAME: {addr: https://…}`), with the client's
    /// certificate pair and the remote's pinned certificate next to it.
    static func remote(named name: String, environment: [String: String]) throws -> LXDEndpoint {
        let directories = configDirectories(environment: environment)
        for directory in directories {
            guard let text = try? String(contentsOfFile: directory + "/config.yml", encoding: .utf8),
                  let config = try? Yams.load(yaml: text) as? [String: Any],
                  let remotes = config["remotes"] as? [String: Any],
                  let remote = remotes[name] as? [String: Any],
                  let address = remote["addr"] as? String else { continue }
            if address.hasPrefix("unix:") {
                let path = String(address.dropFirst("unix:".count)).replacingOccurrences(of: "//", with: "")
                return .unixSocket(path: path.isEmpty ? "/var/lib/lxd/unix.socket" : path)
            }
            return .https(LXDRemote(
                url: address, clientCertificatePath: directory + "/client.crt",
                clientKeyPath: directory + "/client.key",
                serverCertificatePath: directory + "/servercerts/\(name).crt"))
        }
        throw Failure(
            message: "no lxc remote named `\(name)` in \(directories.map { $0 + "/config.yml" }.joined(separator: ", "))",
            hint: "add it with `lxc remote add \(name) https://HOST:8443`, or give `lxd.url` with certificates in the inventory")
    }
}
