import Inventory
import NIOSSL

extension LXDCertificateFingerprint {
    /// The fingerprint of a parsed certificate.
    public init(of certificate: NIOSSLCertificate) throws {
        self.init(der: try certificate.toDERBytes())
    }

    /// The fingerprints of the certificates in a PEM file (a pinned `server.crt` holds one).
    public static func ofPEMFile(_ path: String) throws -> [LXDCertificateFingerprint] {
        try NIOSSLCertificate.fromPEMFile(path).map { try LXDCertificateFingerprint(of: $0) }
    }
}
