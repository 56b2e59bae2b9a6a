import Foundation
import NIOCore
import Testing
@testable import GoldfleetSupport
@testable import LXDKit

@Suite("LXD transport failures")
struct LXDTransportErrorTests {
    let socket = LXDEndpoint.unixSocket(path: "/var/lib/lxd/unix.socket")

    @Test("refused, missing and reset connections mean the daemon is unavailable", arguments: [
        (ECONNREFUSED, "connection refused"), (ENOENT, "does not exist"), (ECONNRESET, "went away"), (EPIPE, "went away"),
    ])
    func daemonGone(code: Int32, text: String) throws {
        let error = try #require(LXDError.transport(IOError(errnoCode: code, reason: "connect"), action: "listing instances", endpoint: socket) as? LXDError)
        #expect(error.kind == .daemonUnavailable)
        #expect(error.message == "listing instances failed on the LXD socket /var/lib/lxd/unix.socket: " + (error.detail ?? ""))
        #expect(error.detail?.contains(text) == true)
    }

    @Test("cancellation passes through untouched")
    func cancellation() {
        #expect(LXDError.transport(CancellationError(), action: "a", endpoint: socket) is CancellationError)
    }

    @Test("unreadable TLS files are a clear error at set-up")
    func missingFiles() {
        let remote = LXDRemote(url: "https://127.0.0.1:8443", clientCertificatePath: "/nonexistent/client.crt",
                               clientKeyPath: "/nonexistent/client.key", serverCertificatePath: "/nonexistent/server.crt")
        #expect {
            _ = try LXDClient(endpoint: .https(remote))
        } throws: { error in
            (error as? LXDError)?.kind == .certificateRejected && "\(error)".contains("cannot read the client certificate /nonexistent/client.crt")
        }
    }

    @Test("the LXD library never starts a program (no `lxc`): it only speaks the REST API")
    func noProcesses() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/LXDKit").standardizedFileURL
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count > 10)
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for word in ["Process(", "ProcessRunning", "SystemProcessRunner", "posix_spawn", "execv", "/usr/bin/lxc"] {
                #expect(!text.contains(word), "\(file) mentions \(word)")
            }
        }
    }
}
