import GoldfleetSupport
import Inventory

extension LXDClient {
    /// Over HTTPS, checks that the daemon trusts our client certificate before anything else is
    /// asked: an untrusted client only gets `403 not authorized` on every other request, which
    /// says nothing about the fix. Nothing to check on a unix socket; asked once per client.
    public func requireTrusted() async throws {
        guard case .https(let remote) = endpoint, !trustConfirmed.withLock({ $0 }) else { return }
        let info = try await serverInfo()
        guard info.auth == "trusted" else {
            throw LXDUntrustedClient(
                url: remote.url, clientCertificatePath: remote.clientCertificatePath, auth: info.auth,
                clientFingerprint: (try? LXDCertificateFingerprint.ofPEMFile(remote.clientCertificatePath))?.first)
        }
        trustConfirmed.withLock { $0 = true }
    }
}

/// The daemon (or cluster) answered but does not trust goldfleet's client certificate.
public struct LXDUntrustedClient: UserFacingError, Equatable {
    public let url: String
    public let clientCertificatePath: String
    /// What the daemon said in `GET /1.0` (`untrusted`).
    public let auth: String
    /// The client certificate's fingerprint, so the fix can be checked with `lxc config trust list`.
    public let clientFingerprint: LXDCertificateFingerprint?

    public init(url: String, clientCertificatePath: String, auth: String, clientFingerprint: LXDCertificateFingerprint? = nil) {
        self.url = url
        self.clientCertificatePath = clientCertificatePath
        self.auth = auth
        self.clientFingerprint = clientFingerprint
    }

    public var message: String {
        "the LXD remote \(url) does not trust the client certificate \(clientCertificatePath) (auth: \(auth))"
    }

    public var hint: String? {
        // `lxc config trust list` shows the first 12 digits of each fingerprint.
        let check = clientFingerprint.map { "; `lxc config trust list` then shows it as \($0.hex.prefix(12))" } ?? ""
        return "trust it once on the server (on a cluster: on any member; trust is cluster-wide): copy \(clientCertificatePath) there as client.crt and run `lxc config trust add client.crt`\(check); then run goldfleet again"
    }
}
