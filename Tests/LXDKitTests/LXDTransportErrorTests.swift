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

    @Test("running a command in an instance is one request to the daemon's REST API, and LXD's refusal comes back as its error")
    func execIsARESTRequest() async throws {
        let daemon = try RecordingLXDSocket(status: 404, json: #"{"type":"error","error":"Instance not found","error_code":404}"#)
        defer { daemon.close() }
        let client = try LXDClient(endpoint: .unixSocket(path: daemon.path), retryPolicy: .never)
        defer { Task { try? await client.shutdown() } }

        let error = await #expect(throws: LXDError.self) {
            _ = try await client.exec(instance: "gold", command: ["ssh-keygen", "-A"])
        }
        #expect(error?.kind == .notFound && error?.lxdMessage == "Instance not found")
        #expect(daemon.requests.map(\.line) == ["POST /1.0/instances/gold/exec HTTP/1.1"])
        #expect(daemon.requests.first?.body.contains(#"["ssh-keygen","-A"]"#) == true)
    }

    @Test("writing a file into an instance is a request to the daemon's files API carrying the bytes and owner")
    func writeFileIsARESTRequest() async throws {
        let daemon = try RecordingLXDSocket(status: 200, json: #"{"type":"sync","status":"Success","status_code":200,"metadata":{}}"#)
        defer { daemon.close() }
        let client = try LXDClient(endpoint: .unixSocket(path: daemon.path), retryPolicy: .never)
        defer { Task { try? await client.shutdown() } }

        try await client.writeFile(instance: "gold", path: "/etc/motd", contents: Array("hello\n".utf8), mode: 0o644, uid: 0, gid: 0)
        #expect(daemon.requests == [.init(line: "POST /1.0/instances/gold/files?path=/etc/motd HTTP/1.1", body: "hello\n")])
    }
}
