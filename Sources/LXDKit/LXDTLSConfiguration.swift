import Foundation
import Inventory
import NIOCore
import NIOSSL

extension LXDRemote {
    /// TLS for an LXD remote: our client certificate, and the server verified by PINNING its
    /// certificate. LXD's server certificate is self-signed, not a CA, and often names no
    /// address we dial: BoringSSL will not accept it as its own trust root (checked: the
    /// handshake fails with CERTIFICATE_VERIFY_FAILED), so chain and host-name checks are off
    /// here and `LXDCertificatePin` compares the presented certificate's fingerprint instead.
    func tlsConfiguration() throws -> (TLSConfiguration, LXDCertificatePin) {
        let action = "loading the TLS files for \(url)"
        func failure(_ detail: String) -> LXDError {
            LXDError(kind: .certificateRejected, action: action, endpoint: "the LXD remote \(url)", detail: detail)
        }
        func load<T>(_ what: String, _ path: String, _ body: () throws -> T) throws -> T {
            do { return try body() } catch { throw failure("cannot read the \(what) \(path) (\(error))") }
        }
        let client = try load("client certificate", clientCertificatePath) {
            try NIOSSLCertificate.fromPEMFile(clientCertificatePath)
        }
        let key = try load("client key", clientKeyPath) { try NIOSSLPrivateKey(file: clientKeyPath, format: .pem) }
        guard !client.isEmpty else { throw failure("no PEM certificate in \(clientCertificatePath)") }

        var expectations: [LXDCertificatePin.Expectation] = []
        if let serverCertificatePath {
            let pinned = try load("pinned server certificate", serverCertificatePath) {
                try LXDCertificateFingerprint.ofPEMFile(serverCertificatePath)
            }
            guard let first = pinned.first else { throw failure("no PEM certificate in \(serverCertificatePath)") }
            expectations.append(.init(fingerprint: first, source: "the pinned certificate \(serverCertificatePath)"))
        }
        if let serverFingerprint {
            expectations.append(.init(fingerprint: serverFingerprint, source: "server_fingerprint"))
        }
        // Without a pin anyone answering at the address would get our requests (and passwords).
        guard !expectations.isEmpty else {
            throw failure("nothing pins the server's certificate: give a server certificate file or its SHA-256 fingerprint")
        }

        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateChain = client.map { .certificate($0) }
        tls.privateKey = .privateKey(key)
        tls.certificateVerification = .none
        tls.minimumTLSVersion = .tlsv12
        return (tls, LXDCertificatePin(url: url, expectations: expectations))
    }
}
