import Foundation
import Crypto
import NIOCore
import NIOSSL

extension LXDRemote {
    /// TLS for an LXD remote: our client certificate, and the server verified by PINNING its
    /// certificate. LXD's server certificate is self-signed, not a CA, and often names no
    /// address we dial: BoringSSL will not accept it as its own trust root (checked: the
    /// handshake fails with CERTIFICATE_VERIFY_FAILED), so chain and host-name checks are off
    /// here and `LXDCertificatePin` compares the presented certificate byte for byte instead.
    func tlsConfiguration() throws -> (TLSConfiguration, LXDCertificatePin) {
        let action = "loading the TLS files for \(url)"
        func load<T>(_ what: String, _ path: String, _ body: () throws -> T) throws -> T {
            do { return try body() } catch {
                throw LXDError(kind: .certificateRejected, action: action, endpoint: "the LXD remote \(url)",
                               detail: "cannot read the \(what) \(path) (\(error))")
            }
        }
        let client = try load("client certificate", clientCertificatePath) {
            try NIOSSLCertificate.fromPEMFile(clientCertificatePath)
        }
        let key = try load("client key", clientKeyPath) { try NIOSSLPrivateKey(file: clientKeyPath, format: .pem) }
        let pinned = try load("pinned server certificate", serverCertificatePath) {
            try NIOSSLCertificate.fromPEMFile(serverCertificatePath)
        }
        guard !client.isEmpty, let pinnedCertificate = pinned.first else {
            throw LXDError(kind: .certificateRejected, action: action, endpoint: "the LXD remote \(url)",
                           detail: "no PEM certificate in \(client.isEmpty ? clientCertificatePath : serverCertificatePath)")
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateChain = client.map { .certificate($0) }
        tls.privateKey = .privateKey(key)
        tls.certificateVerification = .none
        tls.minimumTLSVersion = .tlsv12
        return (tls, LXDCertificatePin(certificate: pinnedCertificate, path: serverCertificatePath))
    }
}

/// The one server certificate an HTTPS remote may present.
///
/// Checked on every new connection right after the TLS handshake and before the connection is
/// given any request (AsyncHTTPClient's per-connection initializer), so nothing is ever sent
/// to a server that is not the pinned one.
struct LXDCertificatePin: Sendable {
    let certificate: NIOSSLCertificate
    let path: String

    func verify(_ channel: any Channel) -> EventLoopFuture<Void> {
        channel.nioSSL_peerCertificate().flatMap { presented in
            if presented == certificate { return channel.eventLoop.makeSucceededVoidFuture() }
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(
                LXDCertificateMismatch(presented: presented.flatMap(Self.fingerprint), pinned: Self.fingerprint(certificate) ?? "?", path: path))
        }
    }

    /// SHA-256 of the DER encoding, as `lxc config trust list` and `lxc remote add` show it.
    static func fingerprint(_ certificate: NIOSSLCertificate) -> String? {
        guard let der = try? certificate.toDERBytes() else { return nil }
        return SHA256.hash(data: der).map { String(format: "%02x", $0) }.joined()
    }
}

/// The server presented another certificate than the pinned one.
struct LXDCertificateMismatch: Error, Sendable {
    let presented: String?
    let pinned: String
    let path: String

    var detail: String {
        "the server presented certificate \(presented.map { String($0.prefix(16)) } ?? "(none)"), not the pinned \(path) (\(pinned.prefix(16)))"
    }
}
