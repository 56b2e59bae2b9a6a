import Foundation
@testable import Inventory
@testable import SSHKit

/// sshd on machines in memory, by address. Keeps SSH's contracts: a login is refused unless the
/// host presents one of the expected keys (none expected: refused, no trust on first use); a
/// host that is not listening is unreachable at once (what a real login says once its deadline
/// passed); a closed session refuses further calls.
final class FakeShells: MachineShellConnector, @unchecked Sendable {
    struct Host {
        var keys: [SSHHostKey]
        var home = "/home/ubuntu"
        var authorizedKeys: [String] = []
        /// Remote directory → the local directory last synced there.
        var synced: [String: String] = [:]
        /// Answers a command with its result (default: exit 0, no output).
        var run: @Sendable (String) -> SSHExecResult = { _ in SSHExecResult(exitStatus: 0, stdoutBytes: [], stderrBytes: []) }
    }

    private let lock = NSLock()
    private var hosts: [String: Host] = [:]
    private var logins: [String] = []

    /// sshd listens on `host` with these host keys.
    func listen(_ host: String, keys: [SSHHostKey], run: (@Sendable (String) -> SSHExecResult)? = nil) {
        lock.withLock {
            var entry = Host(keys: keys)
            if let run { entry.run = run }
            hosts[host] = entry
        }
    }

    /// sshd on `host` stops answering.
    func silence(_ host: String) { lock.withLock { hosts[host] = nil } }

    func host(_ address: String) -> Host? { lock.withLock { hosts[address] } }

    /// The hosts logged in to, in order.
    var loggedIn: [String] { lock.withLock { logins } }

    func connect(_ options: SSHConnectOptions) async throws -> any MachineShell {
        let host = options.host
        guard let entry = lock.withLock({ hosts[host] }) else {
            throw SSHError.unreachable(host: host, port: options.port, waited: options.connectDeadline, attempts: 1, lastSeen: "connection refused")
        }
        let presented = entry.keys[0]
        guard !options.expectedHostKeys.isEmpty else { throw SSHError.noExpectedHostKeys(host: host, presented: presented) }
        guard entry.keys.contains(where: { options.expectedHostKeys.contains($0) }) else {
            throw SSHError.hostKeyMismatch(host: host, presented: presented, expected: options.expectedHostKeys)
        }
        lock.withLock { logins.append(host) }
        return Session(shells: self, host: host)
    }

    func banner(host: String) async throws -> String {
        guard lock.withLock({ hosts[host] }) != nil else { throw SSHBanner.Unanswered(description: "no TCP connection to \(host):22 (connection refused)") }
        return "SSH-2.0-OpenSSH_9.2p1 fake"
    }

    fileprivate func update(_ host: String, _ change: (inout Host) -> Void) throws -> Host {
        try lock.withLock {
            guard var entry = hosts[host] else { throw SSHError.sessionClosed(host: host, step: .exec) }
            change(&entry)
            hosts[host] = entry
            return entry
        }
    }

    /// One logged-in session.
    final class Session: MachineShell, @unchecked Sendable {
        let shells: FakeShells
        let host: String
        private let lock = NSLock()
        private var closed = false

        init(shells: FakeShells, host: String) {
            self.shells = shells
            self.host = host
        }

        private func open(_ step: SSHError.Step) throws {
            if lock.withLock({ closed }) { throw SSHError.sessionClosed(host: host, step: step) }
        }

        func execute(_ command: String, stdin: [UInt8]?, timeout: Duration?) async throws -> SSHExecResult {
            try open(.exec)
            return try shells.update(host) { _ in }.run(command)
        }

        func installAuthorizedKeys(_ keys: [String]) async throws -> Bool {
            try open(.exec)
            var changed = false
            _ = try shells.update(host) { host in
                for key in keys where !host.authorizedKeys.contains(key) {
                    host.authorizedKeys.append(key)
                    changed = true
                }
            }
            return changed
        }

        func syncDirectory(from local: String, to remote: String) async throws -> SSHSyncReport {
            try open(.sftp)
            _ = try shells.update(host) { $0.synced[remote] = local }
            return SSHSyncReport(uploaded: 0, unchanged: 0, removed: 0, bytes: 0, duration: .zero)
        }

        func close() async { lock.withLock { closed = true } }
    }
}
