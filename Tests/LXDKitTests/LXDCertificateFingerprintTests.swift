import Foundation
import TestSupport
import Testing
@testable import Inventory
@testable import LXDKit

@Suite("LXD certificate fingerprints and pins")
struct LXDCertificateFingerprintTests {
    /// `openssl x509 -in Fixtures/lxd/fingerprint-fixture.crt -noout -fingerprint -sha256`.
    static let fixtureOpenSSL = "sha256 Fingerprint=C6:8F:10:D9:10:28:64:08:91:E4:B7:DA:FE:6E:1E:5D:DE:08:F8:79:F5:76:58:6B:75:B1:BF:04:3C:84:E0:8A"
    static let fixtureHex = "c68f10d910286408" + "91e4b7dafe6e1e5dde08f879f576586b75b1bf043c84e08a"

    static func fixturePath() throws -> String {
        InventoryFixtures.url("lxd/fingerprint-fixture.crt").path
    }

    @Test("the ways people paste a fingerprint all read as LXD's lower-case hex", arguments: [
        fixtureHex,
        fixtureHex.uppercased(),
        fixtureOpenSSL,
        "SHA256 Fingerprint=C6:8F:10:D9:10:28:64:08:91:E4:B7:DA:FE:6E:1E:5D:DE:08:F8:79:F5:76:58:6B:75:B1:BF:04:3C:84:E0:8A",
        "c6:8f:10:d9:10:28:64:08:91:e4:b7:da:fe:6e:1e:5d:de:08:f8:79:f5:76:58:6b:75:b1:bf:04:3c:84:e0:8a",
        "sha256:" + fixtureHex,
        "  " + fixtureHex + "\n",
    ])
    func normalisation(text: String) throws {
        #expect(try #require(LXDCertificateFingerprint(text)).hex == Self.fixtureHex)
    }

    @Test("short, long or non-hex texts are not fingerprints", arguments: [
        "", "ab:cd:ef", String(fixtureHex.prefix(12)), fixtureHex + "00", String(fixtureHex.dropLast()) + "g",
    ])
    func rejected(text: String) {
        #expect(LXDCertificateFingerprint(text) == nil)
    }

    @Test("the fingerprint of a certificate file is openssl's SHA-256 of its DER encoding")
    func ofCertificate() throws {
        let fingerprints = try LXDCertificateFingerprint.ofPEMFile(Self.fixturePath())
        #expect(fingerprints.map(\.hex) == [Self.fixtureHex])
        #expect("sha256 Fingerprint=" + fingerprints[0].colonSeparated == Self.fixtureOpenSSL)
    }

    @Test("a pin accepts only the pinned fingerprint; with a file and a fingerprint both must match")
    func pinMatching() throws {
        let right = try #require(LXDCertificateFingerprint(Self.fixtureHex))
        let wrong = try #require(LXDCertificateFingerprint(String(repeating: "0", count: 64)))
        func pin(_ expected: [(LXDCertificateFingerprint, String)]) -> LXDCertificatePin {
            LXDCertificatePin(url: "https://h:8443", expectations: expected.map { .init(fingerprint: $0.0, source: $0.1) })
        }
        #expect(pin([(right, "server_fingerprint")]).check(presented: right) == nil)
        #expect(pin([(right, "the pinned certificate /s.crt"), (right, "server_fingerprint")]).check(presented: right) == nil)
        #expect(pin([(right, "server_fingerprint")]).check(presented: wrong)
                == LXDCertificateMismatch(url: "https://h:8443", presented: wrong, expected: right, source: "server_fingerprint"))
        // Certificate right, fingerprint wrong: refused, naming the fingerprint as the failed pin.
        #expect(pin([(right, "the pinned certificate /s.crt"), (wrong, "server_fingerprint")]).check(presented: right)
                == LXDCertificateMismatch(url: "https://h:8443", presented: right, expected: wrong, source: "server_fingerprint"))
        #expect(pin([(right, "server_fingerprint")]).check(presented: nil)?.presented == nil)
    }

    @Test("a mismatch names the endpoint, both fingerprints and the pin, and says how to check")
    func mismatchError() throws {
        let presented = try #require(LXDCertificateFingerprint(String(repeating: "a", count: 64)))
        let expected = try #require(LXDCertificateFingerprint(String(repeating: "b", count: 64)))
        let mismatch = LXDCertificateMismatch(url: "https://127.0.0.1:8443", presented: presented, expected: expected, source: "server_fingerprint")
        let remote = LXDRemote(url: "https://127.0.0.1:8443", clientCertificatePath: "/c", clientKeyPath: "/k", serverFingerprint: expected)
        let error = try #require(LXDError.transport(mismatch, action: "reading the server's information", endpoint: .https(remote)) as? LXDError)
        #expect(error.kind == .serverCertificateMismatch)
        #expect(error.message == "reading the server's information failed on the LXD remote https://127.0.0.1:8443: the server presented a certificate with SHA-256 fingerprint \(presented), but server_fingerprint pins \(expected); refused, nothing was sent to it")
        #expect(error.hint?.contains("lxc info | grep certificate_fingerprint") == true)
        #expect(error.hint?.contains("openssl x509 -in /var/lib/lxd/server.crt -noout -fingerprint -sha256") == true)
    }

    @Test("a remote with nothing pinned is refused before any connection")
    func nothingPinned() throws {
        // The fixture pair stands in for a client's: the check comes before any connection.
        let certificate = try Self.fixturePath()
        let key = String(certificate.dropLast(".crt".count)) + ".key"
        let remote = LXDRemote(url: "https://127.0.0.1:8443", clientCertificatePath: certificate, clientKeyPath: key)
        #expect {
            _ = try LXDClient(endpoint: .https(remote))
        } throws: { error in
            (error as? LXDError)?.kind == .certificateRejected && "\(error)".contains("nothing pins the server's certificate")
        }
    }
}
