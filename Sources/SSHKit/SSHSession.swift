import Foundation

/// One authenticated SSH connection to one machine.
///
/// The libssh2 session lives on its own thread (`SSHWorkerThread`); every method hops there
/// and back, so callers never block Swift's cooperative pool. Calls on one session run one
/// after another; use several sessions for parallel work. Call `close()` when done (a session
/// that is dropped is closed too, just without waiting).
public final class SSHSession: Sendable {
    public let options: SSHConnectOptions
    /// The host key the server proved it holds (one of `options.expectedHostKeys`).
    public let serverHostKey: SSHHostKey
    private let worker: SSHWorkerThread
    private let connection: LibSSH2Connection

    private init(options: SSHConnectOptions, worker: SSHWorkerThread, connection: LibSSH2Connection) {
        self.options = options
        self.worker = worker
        self.connection = connection
        self.serverHostKey = connection.serverHostKey
    }

    deinit {
        let connection = self.connection
        worker.submit { connection.close() }
        worker.stop()
    }

    /// Connects, verifies the host key and authenticates. While sshd is not up yet (connection
    /// refused, unreachable, closed before or during the banner) it retries with backoff until
    /// `options.connectDeadline`; a wrong host key or a rejected password fails at once.
    public static func connect(_ options: SSHConnectOptions) async throws -> SSHSession {
        let worker = SSHWorkerThread(name: "goldfleet ssh \(options.host)")
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = started + options.connectDeadline
        var attempts = 0
        var backoff = Duration.milliseconds(100)
        var lastSeen = "nothing yet"
        do {
            while true {
                attempts += 1
                let attemptTimeout = max(min(deadline - clock.now, options.ioTimeout), .milliseconds(200))
                let outcome: Result<LibSSH2Connection, LibSSH2Connection.AttemptFailure> = try await worker.run {
                    do throws(LibSSH2Connection.AttemptFailure) {
                        return .success(try LibSSH2Connection.open(options, attemptTimeout: attemptTimeout))
                    } catch {
                        return .failure(error)
                    }
                }
                switch outcome {
                case .success(let connection):
                    return SSHSession(options: options, worker: worker, connection: connection)
                case .failure(.fatal(let error)):
                    throw error
                case .failure(.retryable(let seen)):
                    lastSeen = seen
                }
                if clock.now + backoff >= deadline {
                    throw SSHError.unreachable(host: options.host, port: options.port, waited: clock.now - started,
                                               attempts: attempts, lastSeen: lastSeen)
                }
                try await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(1))
            }
        } catch {
            worker.stop()
            throw error
        }
    }

    /// Runs `command` with the user's login shell on the machine. A non-zero exit status is a
    /// result, not an error; timeouts and transport failures throw `SSHError`.
    public func execute(_ command: String, stdin: [UInt8]? = nil, timeout: Duration? = nil) async throws -> SSHExecResult {
        let limit = timeout ?? options.commandTimeout
        let connection = self.connection
        return try await worker.run { () throws(SSHError) -> SSHExecResult in
            try connection.execute(command, stdin: stdin, timeout: limit)
        }
    }

    /// Like `execute`, but a non-zero exit status throws an `SSHError` (code `.commandFailed`)
    /// that quotes the end of stderr.
    @discardableResult
    public func executeChecked(_ command: String, stdin: [UInt8]? = nil, timeout: Duration? = nil) async throws -> SSHExecResult {
        let result = try await execute(command, stdin: stdin, timeout: timeout)
        guard result.succeeded else { throw SSHError.commandFailed(host: options.host, command: command, result: result) }
        return result
    }

    /// Copies the tree under the local directory to `remote` over SFTP (a relative `remote`
    /// is below the user's home). Re-syncs skip unchanged files; see `SSHSyncReport`.
    public func syncDirectory(from local: String, to remote: String) async throws -> SSHSyncReport {
        let connection = self.connection
        return try await worker.run { () throws(SSHError) -> SSHSyncReport in
            try connection.syncDirectory(from: local, to: remote)
        }
    }

    /// `syncDirectory`, also returning the manifest the remote directory now holds.
    func syncDirectoryReturningManifest(from local: String, to remote: String, excluding: LocalTree.Exclusion? = nil) async throws -> SyncOutcome {
        let connection = self.connection
        return try await worker.run { () throws(SSHError) -> SyncOutcome in
            try connection.syncDirectoryReturningManifest(from: local, to: remote, excluding: excluding)
        }
    }

    /// Adds the public key lines to the user's ~/.ssh/authorized_keys, creating the directory
    /// and file with modes 700 and 600. Idempotent; returns whether anything changed.
    public func installAuthorizedKeys(_ keys: [String]) async throws -> Bool {
        let lines = try AuthorizedKeysInstaller.validatedLines(keys, host: options.host)
        let result = try await execute(AuthorizedKeysInstaller.script, stdin: Array((lines.joined(separator: "\n") + "\n").utf8))
        return try AuthorizedKeysInstaller.parse(result, host: options.host)
    }

    /// Says goodbye to the server and frees the session; later calls throw. Safe to call twice.
    public func close() async {
        let connection = self.connection
        _ = try? await worker.run { connection.close() }
    }
}
