import Inventory

/// Where an LXD daemon answers: its local unix socket, or an HTTPS remote (standalone or a
/// cluster member).
public enum LXDEndpoint: Sendable, Hashable, CustomStringConvertible {
    case unixSocket(path: String)
    case https(LXDRemote)

    public var description: String {
        switch self {
        case .unixSocket(let path): return "the LXD socket \(path)"
        case .https(let remote): return "the LXD remote \(remote.url)"
        }
    }
}

/// An LXD daemon reached over HTTPS with a client certificate, the way `lxc remote add` stores
/// one (`client.crt`/`client.key` plus the remote's `servercerts/NAME.crt`).
///
/// LXD's server certificate is self-signed and its name may not match the address, so the
/// server is verified by pinning: the certificate it presents must be the one in
/// `serverCertificatePath` and/or have the fingerprint `serverFingerprint` (at least one is
/// required; when both are given both must match). Host names are not checked.
public struct LXDRemote: Sendable, Hashable {
    /// Base URL, e.g. `https://10.0.0.5:8443` (no path).
    public var url: String
    /// PEM client certificate the daemon trusts (`lxc config trust add`).
    public var clientCertificatePath: String
    /// PEM private key of the client certificate.
    public var clientKeyPath: String
    /// PEM certificate the server must present (LXD's `server.crt`, or the cluster certificate).
    public var serverCertificatePath: String?
    /// SHA-256 fingerprint the server's certificate must have (`lxc info`: `certificate_fingerprint`).
    public var serverFingerprint: LXDCertificateFingerprint?

    public init(url: String, clientCertificatePath: String, clientKeyPath: String,
                serverCertificatePath: String? = nil, serverFingerprint: LXDCertificateFingerprint? = nil) {
        self.url = url
        self.clientCertificatePath = clientCertificatePath
        self.clientKeyPath = clientKeyPath
        self.serverCertificatePath = serverCertificatePath
        self.serverFingerprint = serverFingerprint
    }
}
