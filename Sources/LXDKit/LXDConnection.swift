import Foundation
import GoldfleetSupport
import Inventory

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
            return .https(try remote(url: url, tls: tls))
        case .remote(let name):
            switch try LXCRemoteConfiguration.find(name, environment: environment)?.address {
            case .https(let remote)?:
                return .https(remote)
            case .unixSocket(let path?)?:
                return .unixSocket(path: path)
            case .unixSocket(nil)?:
                return .unixSocket(path: try await LXDClient.discoverSocket(explicit: nil, environment: environment))
            case nil where name == "local":
                // `local` is built into lxc and often absent from config.yml.
                return .unixSocket(path: try await LXDClient.discoverSocket(explicit: socket, environment: environment))
            case nil:
                let files = LXCRemoteConfiguration.directories(environment: environment).map { $0 + "/config.yml" }
                throw Failure(
                    message: "no lxc remote named `\(name)` in \(files.joined(separator: " or "))",
                    hint: "add it with `lxc remote add \(name) https://HOST:8443` (as the user goldfleet runs as), or give `lxd.url` with certificates in the inventory")
            }
        }
    }

    /// An `lxd.url` endpoint: the client pair is required, and so is a pin (certificate file,
    /// fingerprint, or both).
    static func remote(url: String, tls: LXDTLSSettings) throws -> LXDRemote {
        guard let certificate = tls.clientCertificatePath, let key = tls.clientKeyPath else {
            throw Failure(message: "LXD at \(url) needs a client certificate and key",
                          hint: "set `lxd.client_cert` and `lxd.client_key` (the files `lxc remote add` keeps in ~/.config/lxc/)")
        }
        var fingerprint: LXDCertificateFingerprint?
        if let text = tls.serverFingerprint {
            guard let parsed = LXDCertificateFingerprint(text) else {
                throw Failure(message: "LXD at \(url): `lxd.server_fingerprint` is not a full SHA-256 fingerprint: `\(text)`",
                              hint: "give all 64 hex digits (colons allowed); \(LXDCertificateFingerprint.whereToFind)")
            }
            fingerprint = parsed
        }
        guard tls.serverCertificatePath != nil || fingerprint != nil else {
            throw Failure(message: "LXD at \(url): nothing pins the server's certificate, and goldfleet talks only to a pinned server",
                          hint: "set `lxd.server_fingerprint` (\(LXDCertificateFingerprint.whereToFind)) or `lxd.server_cert` to a copy of its server.crt (`lxc remote add` keeps one in ~/.config/lxc/servercerts/NAME.crt)")
        }
        return LXDRemote(url: url, clientCertificatePath: certificate, clientKeyPath: key,
                         serverCertificatePath: tls.serverCertificatePath, serverFingerprint: fingerprint)
    }
}
