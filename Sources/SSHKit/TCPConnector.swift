import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Opens the TCP connection libssh2 runs over, with a timeout (a plain `connect` to a machine
/// that drops packets can wait minutes).
enum TCPConnector {
    struct Failure: Error {
        /// What was seen, for the "last seen" part of the deadline error.
        let seen: String
        /// Worth trying again (sshd may just not be listening yet).
        let retryable: Bool
    }

    /// Returns a connected, blocking socket with TCP_NODELAY (SFTP and exec are round-trip bound).
    static func connect(host: String, port: Int, timeout: Duration) throws(Failure) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw Failure(seen: "cannot resolve \(host): \(String(cString: gai_strerror(status)))", retryable: false)
        }
        defer { freeaddrinfo(list) }

        var lastFailure = Failure(seen: "no address for \(host)", retryable: false)
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            do {
                return try connect(info.pointee, timeout: timeout)
            } catch {
                lastFailure = error
            }
            entry = info.pointee.ai_next
        }
        throw lastFailure
    }

    private static func connect(_ info: addrinfo, timeout: Duration) throws(Failure) -> Int32 {
        let fd = socket(info.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(seen: "socket(): \(errnoText())", retryable: false) }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)

        var result = Glibc.connect(fd, info.ai_addr, info.ai_addrlen)
        if result != 0 && errno == EINPROGRESS {
            var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            var ready: Int32
            repeat { ready = poll(&descriptor, 1, Self.milliseconds(timeout)) } while ready < 0 && errno == EINTR
            if ready <= 0 {
                close(fd)
                throw Failure(seen: "no answer to the TCP connect within \(SSHError.seconds(timeout))", retryable: true)
            }
            var socketError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &socketError, &length)
            result = socketError == 0 ? 0 : -1
            errno = socketError
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw Failure(seen: describe(code), retryable: retryable(code))
        }
        _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)
        var on: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        return fd
    }

    private static func describe(_ code: Int32) -> String {
        switch code {
        case ECONNREFUSED: return "connection refused"
        case ETIMEDOUT: return "TCP connect timed out"
        case EHOSTUNREACH: return "no route to host"
        case ENETUNREACH: return "network unreachable"
        default: return String(cString: strerror(code))
        }
    }

    /// Refused and unreachable are what a booting machine looks like.
    private static func retryable(_ code: Int32) -> Bool {
        [ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH, ENETUNREACH, ECONNRESET, ECONNABORTED].contains(code)
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }

    static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        let total = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return Int32(clamping: max(total, 0))
    }
}
