extension LXDClient {
    /// Over HTTPS, checks that the daemon trusts our client certificate before anything else is
    /// asked: an untrusted client only gets `403 not authorized` on every other request, which
    /// says nothing about the fix. Nothing to check on a unix socket.
    public func requireTrusted() async throws {
        guard case .https(let remote) = endpoint else { return }
        let info = try await serverInfo()
        guard info.auth == "trusted" else {
            throw LXDUntrustedClient(url: remote.url, clientCertificatePath: remote.clientCertificatePath, auth: info.auth)
        }
    }
}

/// The daemon (or cluster) answered but does not trust goldfleet's client certificate.
public struct LXDUntrustedClient: UserFacingError, Equatable {
    public let url: String
    public let clientCertificatePath: String
    /// What the daemon said in `GET /1.0` (`untrusted`).
    public let auth: String

    public var message: String {
        "the LXD remote \(url) does not trust the client certificate \(clientCertificatePath) (auth: \(auth))"
    }

    public var hint: String? {
        "trust it once on the server (on a cluster: on any member; trust is cluster-wide): copy \(clientCertificatePath) there as client.crt and run `lxc config trust add client.crt`; then run goldfleet again"
    }
}
