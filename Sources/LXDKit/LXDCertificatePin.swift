import Inventory
import NIOCore
import NIOSSL

/// What an HTTPS remote's server certificate must be: the certificate in a pinned file
/// (`server_cert:`, or `servercerts/NAME.crt` of an `lxc` remote), a fingerprint
/// (`server_fingerprint:`), or both — then both must match.
///
/// Checked on every new connection right after the TLS handshake and before the connection is
/// given any request (AsyncHTTPClient's per-connection initializer), so nothing is ever sent
/// to a server that is not the pinned one.
struct LXDCertificatePin: Sendable, Equatable {
    /// One expected fingerprint and where it was pinned, for the error.
    struct Expectation: Sendable, Equatable {
        let fingerprint: LXDCertificateFingerprint
        /// `the pinned certificate /path/server.crt` or `server_fingerprint`.
        let source: String
    }

    let url: String
    let expectations: [Expectation]

    /// The mismatch to refuse with, or nil when the presented certificate is the pinned one.
    func check(presented: LXDCertificateFingerprint?) -> LXDCertificateMismatch? {
        guard let failed = expectations.first(where: { $0.fingerprint != presented }) else { return nil }
        return LXDCertificateMismatch(url: url, presented: presented, expected: failed.fingerprint, source: failed.source)
    }

    func verify(_ channel: any Channel) -> EventLoopFuture<Void> {
        channel.nioSSL_peerCertificate().flatMap { certificate in
            let presented = certificate.flatMap { try? LXDCertificateFingerprint(of: $0) }
            guard let mismatch = check(presented: presented) else { return channel.eventLoop.makeSucceededVoidFuture() }
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(mismatch)
        }
    }
}
