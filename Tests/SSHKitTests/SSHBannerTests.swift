import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import SSHKit

/// A one-connection TCP server on loopback that sends `greeting` and then holds the connection
/// open for `hold` (a stand-in for sshd, or for something that is not sshd).
private final class LoopbackServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32

    /// `listening: false` binds the port without listening: a connect is refused.
    init(greeting: [UInt8], hold: Duration = .seconds(2), listening: Bool = true) throws {
        let (listener, port) = try LoopbackSocket.bind(listening: listening, backlog: 1)
        self.listener = listener
        self.port = port
        guard listening else { return }
        Thread.detachNewThread {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            _ = greeting.withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
            Thread.sleep(forTimeInterval: Double(hold.components.seconds))
            close(connection)
        }
    }

    deinit { close(listener) }
}

@Suite("Reading sshd's banner")
struct SSHBannerTests {
    @Test("the SSH- line is the banner, also after other lines and with CRLF")
    func readsTheBanner() async throws {
        let server = try LoopbackServer(greeting: Array("hello\r\nSSH-2.0-OpenSSH_9.2p1 Debian-2\r\n".utf8))
        #expect(try await SSHBanner.read(host: "127.0.0.1", port: server.port) == "SSH-2.0-OpenSSH_9.2p1 Debian-2")
    }

    @Test("a port that accepts but stays silent is not sshd")
    func silentPort() async throws {
        let server = try LoopbackServer(greeting: [])
        await #expect(throws: SSHBanner.Unanswered.self) {
            _ = try await SSHBanner.read(host: "127.0.0.1", port: server.port, timeout: .milliseconds(300))
        }
    }

    @Test("a closed port is not sshd")
    func closedPort() async throws {
        let server = try LoopbackServer(greeting: [], listening: false)
        await #expect(throws: SSHBanner.Unanswered.self) {
            _ = try await SSHBanner.read(host: "127.0.0.1", port: server.port, timeout: .milliseconds(300))
        }
    }

    @Test("something else answering on the port is not sshd")
    func notSSH() async throws {
        let server = try LoopbackServer(greeting: Array("HTTP/1.1 400 Bad Request\r\n\r\n".utf8), hold: .seconds(0))
        await #expect(throws: (any Error).self) {
            _ = try await SSHBanner.read(host: "127.0.0.1", port: server.port, timeout: .milliseconds(500))
        }
    }
}
