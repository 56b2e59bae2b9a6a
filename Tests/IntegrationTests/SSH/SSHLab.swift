import Foundation
import Testing
@testable import GoldfleetSupport
@testable import SSHKit

/// SSH helpers for integration tests against the lab's real sshd.
enum SSHLab {
    /// The clone's host keys, read through LXD as the library's caller will. Waits for first
    /// boot to generate them.
    static func hostKeys(of container: LabContainer) async throws -> [SSHHostKey] {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let output = try await container.exec(
                "test -s /etc/ssh/ssh_host_ed25519_key.pub && cat /etc/ssh/ssh_host_*_key.pub", allowFailure: true)
            if output.exitCode == 0 {
                return try SSHHostKey.keys(fromPublicKeyLines: output.stdout)
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw Lab.Unavailable(description: "\(container.name) has no SSH host keys after 30 s")
    }

    static func options(
        for container: LabContainer, keys: [SSHHostKey], password: String? = nil, port: Int = 22,
        connectDeadline: Duration = .seconds(30)
    ) throws -> SSHConnectOptions {
        SSHConnectOptions(
            host: container.ipv4, port: port, user: "ubuntu",
            authentication: .password(Secret(try password ?? Lab.password())),
            expectedHostKeys: keys, connectDeadline: connectDeadline, commandTimeout: .seconds(120))
    }

    static func connect(_ container: LabContainer) async throws -> SSHSession {
        try await SSHSession.connect(options(for: container, keys: hostKeys(of: container)))
    }

    /// Runs a local program with the lab password in SSHPASS (never on argv).
    static func withPassword(_ executable: String, _ arguments: [String]) async throws -> ProcessResult {
        try await SystemProcessRunner().run(Command(executable, arguments, environment: ["SSHPASS": try Lab.password()]))
    }

    static func temporaryDirectory(_ label: String) throws -> String {
        let path = NSTemporaryDirectory() + "gf-\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
