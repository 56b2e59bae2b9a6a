import CLibSSH2
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One libssh2 session, its socket and (lazily) its SFTP channel.
///
/// Thread confinement: an instance is created on, used on and closed on its owning
/// `SSHSession`'s `SSHWorkerThread`, one call at a time. That is why `@unchecked Sendable` is
/// sound here (the `OpaquePointer`s are not Sendable, and libssh2 is not thread-safe per session).
final class LibSSH2Connection: @unchecked Sendable {
    let host: String
    let user: String
    let session: OpaquePointer
    let socket: Int32
    let ioTimeout: Duration
    let serverHostKey: SSHHostKey
    var sftpHandle: OpaquePointer?
    private(set) var isClosed = false

    /// Why one connect attempt failed: worth retrying while sshd starts, or final.
    enum AttemptFailure: Error {
        case retryable(seen: String)
        case fatal(SSHError)
    }

    private init(host: String, user: String, session: OpaquePointer, socket: Int32, ioTimeout: Duration, serverHostKey: SSHHostKey) {
        self.host = host
        self.user = user
        self.session = session
        self.socket = socket
        self.ioTimeout = ioTimeout
        self.serverHostKey = serverHostKey
    }

    // MARK: Opening

    /// TCP connect, SSH handshake, host key check and authentication, each bounded by `attemptTimeout`.
    static func open(_ options: SSHConnectOptions, attemptTimeout: Duration) throws(AttemptFailure) -> LibSSH2Connection {
        let host = options.host
        guard LibSSH2Runtime.ensureInitialized() else {
            throw .fatal(.handshakeFailed(host: host, detail: "libssh2_init failed"))
        }
        let fd: Int32
        do {
            fd = try TCPConnector.connect(host: host, port: options.port, timeout: attemptTimeout)
        } catch {
            if error.retryable { throw .retryable(seen: error.seen) }
            throw .fatal(.unreachable(host: host, port: options.port, waited: .zero, attempts: 1, lastSeen: error.seen))
        }
        guard let session = libssh2_session_init_ex(nil, nil, nil, nil) else {
            Glibc.close(fd)
            throw .fatal(.handshakeFailed(host: host, detail: "libssh2 could not create a session (out of memory?)"))
        }
        libssh2_session_set_blocking(session, 1)
        libssh2_session_set_timeout(session, Int(TCPConnector.milliseconds(attemptTimeout)))
        preferHostKeyAlgorithms(of: options.expectedHostKeys, session: session)

        let status = libssh2_session_handshake(session, fd)
        if status != 0 {
            let detail = lastError(session)
            libssh2_session_free(session)
            Glibc.close(fd)
            if retryableHandshakeCodes.contains(status) {
                throw .retryable(seen: "SSH handshake: \(detail)")
            }
            throw .fatal(.handshakeFailed(host: host, detail: detail))
        }

        guard let presented = presentedHostKey(session) else {
            let detail = lastError(session)
            disconnectAndFree(session, socket: fd)
            throw .fatal(.handshakeFailed(host: host, detail: "the server presented no host key (\(detail))"))
        }
        if options.expectedHostKeys.isEmpty {
            disconnectAndFree(session, socket: fd)
            throw .fatal(.noExpectedHostKeys(host: host, presented: presented))
        }
        guard options.expectedHostKeys.contains(presented) else {
            disconnectAndFree(session, socket: fd)
            throw .fatal(.hostKeyMismatch(host: host, presented: presented, expected: options.expectedHostKeys))
        }

        let connection = LibSSH2Connection(host: host, user: options.user, session: session, socket: fd,
                                           ioTimeout: options.ioTimeout, serverHostKey: presented)
        do {
            try connection.authenticate(options.authentication)
        } catch {
            connection.close()
            throw .fatal(error)
        }
        connection.restoreIOTimeout()
        return connection
    }

    /// What a starting or overloaded sshd looks like: it closes before or during the banner
    /// (MaxStartups), or says nothing yet.
    private static let retryableHandshakeCodes: Set<Int32> = [
        LIBSSH2_ERROR_SOCKET_DISCONNECT, LIBSSH2_ERROR_BANNER_RECV, LIBSSH2_ERROR_TIMEOUT,
        LIBSSH2_ERROR_SOCKET_RECV, LIBSSH2_ERROR_SOCKET_SEND, LIBSSH2_ERROR_EAGAIN,
    ]

    /// Limits the host key algorithms we accept to the types we expect, so a server with several
    /// host keys signs with one we can check (e.g. ed25519 rather than RSA).
    private static func preferHostKeyAlgorithms(of keys: [SSHHostKey], session: OpaquePointer) {
        var supportedList: UnsafeMutablePointer<UnsafePointer<CChar>?>?
        let count = libssh2_session_supported_algs(session, LIBSSH2_METHOD_HOSTKEY, &supportedList)
        guard count > 0, let supportedList else { return }
        defer { libssh2_free(session, supportedList) }
        var supported = Set<String>()
        for index in 0..<Int(count) {
            if let name = supportedList[index] { supported.insert(String(cString: name)) }
        }
        let rank = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa"]
        let ordered = keys.sorted { (rank.firstIndex(of: $0.type) ?? rank.count) < (rank.firstIndex(of: $1.type) ?? rank.count) }
        var algorithms: [String] = []
        for key in ordered {
            for algorithm in key.hostKeyAlgorithms where supported.contains(algorithm) && !algorithms.contains(algorithm) {
                algorithms.append(algorithm)
            }
        }
        guard !algorithms.isEmpty else { return }
        _ = libssh2_session_method_pref(session, LIBSSH2_METHOD_HOSTKEY, algorithms.joined(separator: ","))
    }

    private static func presentedHostKey(_ session: OpaquePointer) -> SSHHostKey? {
        var length = 0
        var type: Int32 = 0
        guard let raw = libssh2_session_hostkey(session, &length, &type), length > 0 else { return nil }
        let bytes = [UInt8](UnsafeRawBufferPointer(start: raw, count: length))
        guard let name = SSHHostKey.embeddedType(bytes) else { return nil }
        return SSHHostKey(type: name, keyData: bytes)
    }

    // MARK: Shared helpers

    /// libssh2's description of the last error on this session.
    static func lastError(_ session: OpaquePointer) -> String {
        var message: UnsafeMutablePointer<CChar>?
        var length: Int32 = 0
        let code = libssh2_session_last_error(session, &message, &length, 0)
        guard let message, length > 0 else { return "libssh2 error \(code)" }
        return String(decoding: UnsafeRawBufferPointer(start: message, count: Int(length)), as: UTF8.self)
    }

    var lastError: String { Self.lastError(session) }
    var lastErrno: Int32 { libssh2_session_last_errno(session) }

    func setTimeout(_ duration: Duration) {
        libssh2_session_set_timeout(session, Int(TCPConnector.milliseconds(duration)))
    }

    func restoreIOTimeout() { setTimeout(ioTimeout) }

    /// Waits until the socket is ready in the direction libssh2 is blocked on (never spin on
    /// EAGAIN), at most until `deadline` and at most 250 ms so callers re-check their state.
    func waitForSocket(until deadline: ContinuousClock.Instant) {
        let directions = libssh2_session_block_directions(session)
        var events: Int16 = 0
        if directions & LIBSSH2_SESSION_BLOCK_INBOUND != 0 { events |= Int16(POLLIN) }
        if directions & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0 { events |= Int16(POLLOUT) }
        if events == 0 { events = Int16(POLLIN) }
        let remaining = TCPConnector.milliseconds(deadline - ContinuousClock.now)
        var descriptor = pollfd(fd: socket, events: events, revents: 0)
        _ = poll(&descriptor, 1, max(0, min(remaining, 250)))
    }

    // MARK: Closing

    /// Shuts SFTP down, says goodbye, frees the session, closes the socket. Safe to call twice.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        setTimeout(.seconds(2))
        if let sftpHandle {
            libssh2_sftp_shutdown(sftpHandle)
            self.sftpHandle = nil
        }
        Self.disconnectAndFree(session, socket: socket)
    }

    private static func disconnectAndFree(_ session: OpaquePointer, socket: Int32) {
        libssh2_session_set_timeout(session, 2000)
        _ = libssh2_session_disconnect_ex(session, SSH_DISCONNECT_BY_APPLICATION, "goldfleet done", "")
        libssh2_session_free(session)
        Glibc.close(socket)
    }
}
