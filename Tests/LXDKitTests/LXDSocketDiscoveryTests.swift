import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import LXDKit
import TestSupport

@Suite("Finding the LXD socket")
struct LXDSocketDiscoveryTests {
    @Test("default candidates: snap, Debian package, Incus, in that order")
    func defaults() {
        let paths = LXDClient.socketCandidates(explicit: nil, environment: [:]).map(\.path)
        #expect(paths == ["/var/snap/lxd/common/lxd/unix.socket", "/var/lib/lxd/unix.socket", "/var/lib/incus/unix.socket"])
    }

    @Test("an explicit path, LXD_SOCKET or LXD_DIR is the only candidate, in that precedence")
    func overrides() {
        let env = ["LXD_SOCKET": "/run/a.socket", "LXD_DIR": "/srv/lxd/"]
        #expect(LXDClient.socketCandidates(explicit: "/x.socket", environment: env) == [.init(path: "/x.socket", origin: "given explicitly")])
        #expect(LXDClient.socketCandidates(explicit: nil, environment: env) == [.init(path: "/run/a.socket", origin: "LXD_SOCKET")])
        #expect(LXDClient.socketCandidates(explicit: nil, environment: ["LXD_DIR": "/srv/lxd/"]) == [.init(path: "/srv/lxd/unix.socket", origin: "LXD_DIR")])
    }

    @Test("a missing socket, a plain file, a dead socket and a silent listener are told apart")
    func probes() async throws {
        let dir = try TemporaryDirectory()
        #expect(await LXDClient.probeSocket(dir.path + "/nothing") == .missing)

        let file = dir.path + "/file"
        _ = FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
        #expect(await LXDClient.probeSocket(file) == .notASocket)

        let dead = dir.path + "/dead.socket"
        let deadFD = try UnixSocket.bind(dead, listen: false)
        defer { close(deadFD) }
        #expect(await LXDClient.probeSocket(dead) == .noDaemon)

        let silent = dir.path + "/silent.socket"
        let silentFD = try UnixSocket.bind(silent, listen: true)
        defer { close(silentFD) }
        #expect(await LXDClient.probeSocket(silent, timeout: .milliseconds(300)) == .notLXD("no answer to an HTTP request"))
    }

    @Test("the error lists every path tried with what was there, and the hint fits the worst case")
    func errorText() async throws {
        let dir = try TemporaryDirectory()
        let dead = dir.path + "/unix.socket"
        let fd = try UnixSocket.bind(dead, listen: false)
        defer { close(fd) }
        await #expect {
            _ = try await LXDClient.discoverSocket(explicit: nil, environment: ["LXD_DIR": dir.path])
        } throws: { error in
            let text = "\(error)"
            return text.contains("no usable LXD socket; tried:")
                && text.contains("\(dead) (LXD_DIR): no daemon is listening (connection refused)")
                && text.contains("hint: the LXD daemon is not running")
        }

        let all = LXDSocketDiscoveryError(
            tried: LXDClient.socketCandidates(explicit: nil, environment: [:]),
            outcomes: [.missing, .permissionDenied, .notLXD("it does not speak HTTP")])
        #expect(all.message == """
            no usable LXD socket; tried:
              /var/snap/lxd/common/lxd/unix.socket (snap): does not exist
              /var/lib/lxd/unix.socket (Debian package): permission denied
              /var/lib/incus/unix.socket (Incus): not an LXD socket (it does not speak HTTP)
            """)
        #expect(all.hint == "run goldfleet as root or as a member of the `lxd` group")
        let notLXD = LXDSocketDiscoveryError(tried: [.init(path: "/s", origin: "LXD_SOCKET")], outcomes: [.notLXD("x")])
        #expect(notLXD.hint?.contains("belongs to another program") == true)
        let nothing = LXDSocketDiscoveryError(tried: [.init(path: "/s", origin: "snap")], outcomes: [.missing])
        #expect(nothing.hint?.contains("install and start LXD") == true)
    }

    @Test("answers are classified: LXD's JSON, other HTTP, not HTTP", arguments: [
        ("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{\"type\":\"sync\",\"metadata\":{\"api_version\":\"1.0\"}}", LXDSocketProbe.answers),
        ("HTTP/1.1 404 Not Found\r\n\r\nnope", .notLXD("it speaks HTTP but not LXD's API")),
        ("SSH-2.0-OpenSSH_9.2\r\n", .notLXD("it does not speak HTTP")),
        ("", .notLXD("no answer to an HTTP request")),
    ])
    func classify(answer: String, expected: LXDSocketProbe) {
        #expect(LXDClient.classify(answer: Array(answer.utf8)) == expected)
    }
}

/// Bare unix sockets for the probe tests: bound but not listening is a dead daemon's socket.
enum UnixSocket {
    struct Failure: Error { let call: String; let code: Int32 }

    static func bind(_ path: String, listen shouldListen: Bool) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(call: "socket", code: errno) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { close(fd); throw Failure(call: "bind", code: errno) }
        if shouldListen, Glibc.listen(fd, 8) != 0 { close(fd); throw Failure(call: "listen", code: errno) }
        return fd
    }
}
