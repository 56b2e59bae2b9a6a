import Foundation
import TestSupport
import Testing
@testable import GoldfleetSupport
@testable import SSHKit

@Suite("SSH host keys")
struct SSHHostKeyTests {
    static func fixture(_ name: String) throws -> String {
        let url = InventoryFixtures.url("ssh/\(name)")
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// `ssh-keygen -lf` output recorded when the fixtures were made: fingerprint per comment.
    static func recordedFingerprints() throws -> [String: String] {
        var result: [String: String] = [:]
        for line in try fixture("fingerprints.txt").split(separator: "\n") {
            let fields = line.split(separator: " ")
            result[String(fields[2])] = String(fields[1])
        }
        return result
    }

    @Test("parses a .pub line and computes the SHA256 fingerprint ssh-keygen printed",
          arguments: [("host_ed25519.pub", "ssh-ed25519"), ("host_ecdsa.pub", "ecdsa-sha2-nistp256"), ("host_rsa.pub", "ssh-rsa")])
    func parsesFixture(file: String, type: String) throws {
        let line = try Self.fixture(file)
        let key = try SSHHostKey(openSSHLine: line)
        #expect(key.type == type)
        let comment = try #require(key.comment)
        #expect(key.sha256Fingerprint == (try Self.recordedFingerprints())[comment])
        #expect(key.openSSHLine == line.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test("matches a fresh `ssh-keygen -lf` for a newly generated key")
    func matchesSSHKeygen() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gf-hostkey-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyPath = directory.appendingPathComponent("key").path
        let runner = SystemProcessRunner()
        let generated = try await runner.run(Command("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", keyPath]))
        #expect(generated.exitCode == 0)
        let listed = try await runner.run(Command("ssh-keygen", ["-lf", keyPath + ".pub"]))
        let expected = String(listed.standardOutput.split(separator: " ")[1])
        let key = try SSHHostKey(openSSHLine: String(contentsOfFile: keyPath + ".pub", encoding: .utf8))
        #expect(key.sha256Fingerprint == expected)
    }

    @Test("the comment does not take part in equality")
    func equalityIgnoresComment() throws {
        let line = try Self.fixture("host_ed25519.pub")
        let withComment = try SSHHostKey(openSSHLine: line)
        let bare = try SSHHostKey(openSSHLine: line.split(separator: " ").prefix(2).joined(separator: " "))
        #expect(withComment == bare)
        #expect(Set([withComment, bare]).count == 1)
        #expect(bare.comment == nil)
    }

    @Test("rejects lines that are not public keys",
          arguments: ["", "ssh-ed25519", "ssh-ed25519 !!!notbase64", "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIH+yW2b0Wqg93skqsF2RdVE3et32Tt7wpoMDyIKSWbAh"])
    func rejectsGarbage(line: String) {
        #expect(throws: SSHHostKey.ParseError.self) { try SSHHostKey(openSSHLine: line) }
    }

    @Test("reads all keys from the output of `cat /etc/ssh/ssh_host_*_key.pub`")
    func severalLines() throws {
        let text = try ["host_ecdsa.pub", "host_ed25519.pub", "host_rsa.pub"].map(Self.fixture).joined() + "\n# note\n"
        let keys = try SSHHostKey.keys(fromPublicKeyLines: text)
        #expect(keys.map(\.type) == ["ecdsa-sha2-nistp256", "ssh-ed25519", "ssh-rsa"])
    }

    @Test("RSA keys accept the SHA-2 signature algorithms first")
    func rsaAlgorithms() throws {
        let rsa = try SSHHostKey(openSSHLine: Self.fixture("host_rsa.pub"))
        #expect(rsa.hostKeyAlgorithms == ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"])
        let ed = try SSHHostKey(openSSHLine: Self.fixture("host_ed25519.pub"))
        #expect(ed.hostKeyAlgorithms == ["ssh-ed25519"])
    }
}

@Suite("Secrets")
struct SecretTests {
    @Test("never shows its value when printed, interpolated or dumped")
    func redacted() {
        let secret = Secret("hunter2-very-secret")
        #expect("\(secret)" == "<redacted>")
        #expect(String(describing: secret) == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("hunter2"))
        #expect(!"\(SSHAuthentication.password(secret))".contains("hunter2"))
        #expect(secret.revealedValue == "hunter2-very-secret")
    }
}
