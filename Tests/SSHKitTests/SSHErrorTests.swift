import Foundation
import Testing
@testable import GoldfleetSupport
@testable import SSHKit

@Suite("SSH errors and small helpers")
struct SSHErrorTests {
    @Test("a rejected password says so plainly")
    func passwordRejected() {
        let error = SSHError.passwordRejected(host: "10.213.73.5", user: "ubuntu")
        #expect(error.message == "user ubuntu: password rejected by 10.213.73.5")
        #expect(error.code == .passwordRejected)
        #expect(error.step == .authentication)
    }

    @Test("a host key mismatch shows both fingerprints")
    func mismatch() throws {
        let presented = try SSHHostKey(openSSHLine: SSHHostKeyTests.fixture("host_ed25519.pub"))
        let expected = try SSHHostKey(openSSHLine: SSHHostKeyTests.fixture("host_ecdsa.pub"))
        let error = SSHError.hostKeyMismatch(host: "10.213.73.5", presented: presented, expected: [expected])
        #expect(error.message == "host key mismatch for 10.213.73.5: the server presented ssh-ed25519 \(presented.sha256Fingerprint), expected ecdsa-sha2-nistp256 \(expected.sha256Fingerprint)")
    }

    @Test("a failed command names its status and quotes stderr")
    func commandFailed() {
        let result = SSHExecResult(exitStatus: 2, stdoutBytes: [], stderrBytes: Array("ls: cannot access 'x'\n".utf8))
        let error = SSHError.commandFailed(host: "10.213.73.5", command: "ls x", result: result)
        #expect(error.message == "`ls x` on 10.213.73.5 failed with exit status 2: ls: cannot access 'x'")
        let long = SSHError.execFailed(host: "h", command: String(repeating: "a", count: 100), detail: "d")
        #expect(long.message == "running `\(String(repeating: "a", count: 60))…` on h failed: d")
    }

    @Test("durations print in seconds", arguments: [
        (Duration.seconds(3), "3.0 s"), (.milliseconds(250), "0.25 s"), (.milliseconds(3100), "3.1 s"), (.milliseconds(5), "0.0 s"),
    ])
    func seconds(duration: Duration, text: String) {
        #expect(SSHError.seconds(duration) == text)
    }

    @Test("remote roots are normalised", arguments: [
        ("wheelhouse", "wheelhouse"), ("~/wheelhouse/", "wheelhouse"), ("/srv/w//", "/srv/w"), ("~", "."), ("/", "/"),
    ])
    func remoteRoot(input: String, output: String) {
        #expect(LibSSH2Connection.normalizedRemoteRoot(input) == output)
    }
}

@Suite("authorized_keys installer")
struct AuthorizedKeysInstallerTests {
    @Test("refuses empty and multi-line keys")
    func validation() throws {
        #expect(throws: SSHError.self) { try AuthorizedKeysInstaller.validatedLines(["ssh-ed25519 AAAA a\nssh-rsa B"], host: "h") }
        #expect(throws: SSHError.self) { try AuthorizedKeysInstaller.validatedLines(["  "], host: "h") }
        #expect(try AuthorizedKeysInstaller.validatedLines([" ssh-ed25519 AAAA c "], host: "h") == ["ssh-ed25519 AAAA c"])
    }

    @Test("the script is idempotent and sets the modes (run locally with sh in a scratch HOME)")
    func scriptLocally() async throws {
        let home = NSTemporaryDirectory() + "gf-home-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let runner = SystemProcessRunner()
        let keys = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH+yW2b0Wqg93skqsF2RdVE3et32Tt7wpoMDyIKSWbAh one\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH+yW2b0Wqg93skqsF2RdVE3et32Tt7wpoMDyIKSWbAx two\n"
        func run() async throws -> Bool {
            let result = try await runner.run(Command("/bin/sh", ["-c", AuthorizedKeysInstaller.script],
                                                       environment: ["HOME": home], standardInput: Array(keys.utf8)))
            return try AuthorizedKeysInstaller.parse(
                SSHExecResult(exitStatus: result.exitCode, stdoutBytes: Array(result.standardOutput.utf8),
                              stderrBytes: Array(result.standardError.utf8)), host: "local")
        }
        #expect(try await run() == true)
        #expect(try await run() == false)
        let text = try String(contentsOfFile: "\(home)/.ssh/authorized_keys", encoding: .utf8)
        #expect(text.split(separator: "\n").count == 2)
        let dirMode = try FileManager.default.attributesOfItem(atPath: "\(home)/.ssh")[.posixPermissions] as? Int
        let fileMode = try FileManager.default.attributesOfItem(atPath: "\(home)/.ssh/authorized_keys")[.posixPermissions] as? Int
        #expect(dirMode == 0o700)
        #expect(fileMode == 0o600)
    }
}
