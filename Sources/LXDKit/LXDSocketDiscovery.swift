import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GoldfleetSupport

/// A place an LXD socket may be, and why it was tried.
public struct LXDSocketCandidate: Sendable, Equatable {
    public var path: String
    /// Where the path came from, e.g. `LXD_SOCKET`, `snap`, `Debian package`.
    public var origin: String

    public init(path: String, origin: String) {
        self.path = path
        self.origin = origin
    }
}

/// What was found at one candidate path.
public enum LXDSocketProbe: Sendable, Equatable {
    case answers
    case missing
    case notASocket
    case permissionDenied
    /// A socket file with nobody listening: the daemon is stopped (or crashed).
    case noDaemon
    /// Something listens but it is not LXD's API.
    case notLXD(String)
    case unusable(String)

    var explanation: String {
        switch self {
        case .answers: return "an LXD daemon answers"
        case .missing: return "does not exist"
        case .notASocket: return "exists but is not a socket"
        case .permissionDenied: return "permission denied"
        case .noDaemon: return "no daemon is listening (connection refused)"
        case .notLXD(let why): return "not an LXD socket (\(why))"
        case .unusable(let why): return "cannot connect (\(why))"
        }
    }
}

/// No usable LXD socket: lists every path tried and what was there.
public struct LXDSocketDiscoveryError: UserFacingError, Equatable {
    public var tried: [LXDSocketCandidate]
    public var outcomes: [LXDSocketProbe]

    public init(tried: [LXDSocketCandidate], outcomes: [LXDSocketProbe]) {
        self.tried = tried
        self.outcomes = outcomes
    }

    public var message: String {
        let lines = zip(tried, outcomes).map { "  \($0.path) (\($0.origin)): \($1.explanation)" }
        return "no usable LXD socket; tried:\n" + lines.joined(separator: "\n")
    }

    public var hint: String? {
        if outcomes.contains(.permissionDenied) {
            return "run goldfleet as root or as a member of the `lxd` group"
        }
        if outcomes.contains(.noDaemon) {
            return "the LXD daemon is not running: start it (`scripts/lab`, `systemctl start lxd` or `snap start lxd`)"
        }
        if outcomes.contains(where: { if case .notLXD = $0 { return true } else { return false } }) {
            return "that socket belongs to another program: point LXD_SOCKET (or LXD_DIR) at LXD's unix.socket"
        }
        return "install and start LXD (`scripts/lab` does it), or name its socket with LXD_SOCKET or LXD_DIR"
    }
}

extension LXDClient {
    /// The paths to try, in order. An explicit path, `LXD_SOCKET` or `LXD_DIR` is the only
    /// candidate when given (as with `lxc`): a user who names a daemon must not silently get
    /// another one.
    public static func socketCandidates(explicit: String?, environment: [String: String]) -> [LXDSocketCandidate] {
        if let explicit, !explicit.isEmpty { return [LXDSocketCandidate(path: explicit, origin: "given explicitly")] }
        if let socket = environment["LXD_SOCKET"], !socket.isEmpty { return [LXDSocketCandidate(path: socket, origin: "LXD_SOCKET")] }
        if let dir = environment["LXD_DIR"], !dir.isEmpty {
            return [LXDSocketCandidate(path: (dir.hasSuffix("/") ? String(dir.dropLast()) : dir) + "/unix.socket", origin: "LXD_DIR")]
        }
        return [
            LXDSocketCandidate(path: "/var/snap/lxd/common/lxd/unix.socket", origin: "snap"),
            LXDSocketCandidate(path: "/var/lib/lxd/unix.socket", origin: "Debian package"),
            LXDSocketCandidate(path: "/var/lib/incus/unix.socket", origin: "Incus"),
        ]
    }

    /// Finds the socket of a running LXD daemon: the first candidate where LXD answers
    /// `GET /1.0`. The error lists every path tried and tells apart a missing daemon, missing
    /// permission and a socket that is not LXD's.
    public static func discoverSocket(explicit: String?, environment: [String: String]) async throws -> String {
        let candidates = socketCandidates(explicit: explicit, environment: environment)
        var outcomes: [LXDSocketProbe] = []
        for candidate in candidates {
            let outcome = await probeSocket(candidate.path)
            if outcome == .answers { return candidate.path }
            outcomes.append(outcome)
        }
        throw LXDSocketDiscoveryError(tried: candidates, outcomes: outcomes)
    }

    /// Checks one path off the cooperative pool: the probe makes blocking socket calls.
    public static func probeSocket(_ path: String, timeout: Duration = .seconds(2)) async -> LXDSocketProbe {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: probeSocketBlocking(path, timeout: timeout))
            }
        }
    }

    static func probeSocketBlocking(_ path: String, timeout: Duration) -> LXDSocketProbe {
        var info = stat()
        if stat(path, &info) != 0 {
            switch errno {
            case ENOENT, ENOTDIR: return .missing
            case EACCES: return .permissionDenied
            default: return .unusable(String(cString: strerror(errno)))
            }
        }
        guard info.st_mode & S_IFMT == S_IFSOCK else { return .notASocket }

        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return .unusable(String(cString: strerror(errno))) }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return .unusable("path too long for a socket") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        var seconds = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if connected != 0 {
            switch errno {
            case ECONNREFUSED: return .noDaemon
            case EACCES, EPERM: return .permissionDenied
            case ENOENT: return .missing
            default: return .unusable(String(cString: strerror(errno)))
            }
        }

        let request = Array("GET /1.0 HTTP/1.0\r\nHost: lxd\r\nUser-Agent: goldfleet\r\n\r\n".utf8)
        guard send(fd, request, request.count, Int32(MSG_NOSIGNAL)) == request.count else {
            return .notLXD("it does not accept a request")
        }
        var answer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let clock = ContinuousClock()
        let end = clock.now + timeout
        while answer.count < 1024 * 1024, clock.now < end {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count <= 0 { break }
            answer += chunk[0..<count]
        }
        return classify(answer: answer)
    }

    /// Decides from the raw answer to `GET /1.0` whether LXD is speaking.
    static func classify(answer: [UInt8]) -> LXDSocketProbe {
        if answer.isEmpty { return .notLXD("no answer to an HTTP request") }
        let text = String(decoding: answer, as: UTF8.self)
        guard text.hasPrefix("HTTP/1.") else { return .notLXD("it does not speak HTTP") }
        guard text.contains("\"api_version\"") else { return .notLXD("it speaks HTTP but not LXD's API") }
        return .answers
    }
}
