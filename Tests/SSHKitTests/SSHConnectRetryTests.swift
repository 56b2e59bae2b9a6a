import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import GoldfleetSupport
@testable import SSHKit

/// Connect's retry loop against loopback: nothing real to log in to, so only the failures.
@Suite("SSH connect retries (loopback)")
struct SSHConnectRetryTests {
    static func options(port: Int, deadline: Duration) throws -> SSHConnectOptions {
        SSHConnectOptions(
            host: "127.0.0.1", port: port, user: "ubuntu", authentication: .password(Secret("never-shown")),
            expectedHostKeys: [try SSHHostKey(openSSHLine: SSHHostKeyTests.fixture("host_ed25519.pub"))],
            connectDeadline: deadline)
    }

    /// A socket that listens (the kernel completes TCP handshakes) but never says anything,
    /// like an sshd that has not sent its banner yet.
    static func silentListener() throws -> (socket: Int32, port: Int) {
        try LoopbackSocket.bind()
    }

    @Test("a refused port is retried until the deadline; the error says how long and what it saw")
    func refused() async throws {
        let clock = ContinuousClock()
        let before = clock.now
        let error = await #expect(throws: SSHError.self) {
            try await SSHSession.connect(Self.options(port: 1, deadline: .milliseconds(900)))
        }
        let waited = clock.now - before
        // It kept trying until the deadline (no upper bound: this machine is noisy).
        #expect(waited >= .milliseconds(500))
        #expect(error?.code == .unreachable)
        #expect(error?.step == .connect)
        let message = try #require(error?.message)
        #expect(message.hasPrefix("could not reach sshd on 127.0.0.1:1 within "))
        #expect(message.hasSuffix("); last seen: connection refused") && message.contains(" attempt"))
        #expect(!message.contains("never-shown"))
    }

    @Test("a server that never sends its banner is retried and reported as such")
    func silentServer() async throws {
        let listener = try Self.silentListener()
        defer { close(listener.socket) }
        let error = await #expect(throws: SSHError.self) {
            try await SSHSession.connect(Self.options(port: listener.port, deadline: .seconds(1)))
        }
        #expect(error?.code == .unreachable)
        #expect(error?.message.contains("last seen: SSH handshake: ") == true, "\(String(describing: error))")
    }
}
