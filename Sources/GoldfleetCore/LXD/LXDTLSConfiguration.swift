import NIOSSL

extension LXDRemote {
    /// TLS for an LXD remote: our client certificate, and the server's certificate as the ONLY
    /// trust root with host names unchecked. LXD's server certificate is self-signed and often
    /// names no address we dial, so pinning it is the check; a certificate that is not it (or is
    /// not signed by it; LXD's are not CAs) fails the handshake.
    func tlsConfiguration() throws -> TLSConfiguration {
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
        guard !client.isEmpty, !pinned.isEmpty else {
            throw LXDError(kind: .certificateRejected, action: action, endpoint: "the LXD remote \(url)",
                           detail: "no PEM certificate in \(client.isEmpty ? clientCertificatePath : serverCertificatePath)")
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateChain = client.map { .certificate($0) }
        tls.privateKey = .privateKey(key)
        tls.trustRoots = .certificates(pinned)
        tls.certificateVerification = .noHostnameVerification
        tls.minimumTLSVersion = .tlsv12
        return tls
    }
}
