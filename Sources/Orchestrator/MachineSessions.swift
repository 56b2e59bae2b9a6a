import Foundation
import GoldfleetSupport
import SSHKit

/// The SSH sessions `cycle --sync` holds to an environment's machines: one per address, opened
/// on first use with the inventory's user and password, trusting only the host keys `up` pinned
/// for that address (the environment's known_hosts file). `--watch` keeps them across runs, so a
/// run after a save pays no login; a session that failed is dropped and opened again next time.
public actor MachineSessions {
    private let user: String
    private let password: Secret
    private let knownHosts: KnownHostsFile
    private let commandTimeout: Duration
    private var opening: [String: Task<SSHSession, any Error>] = [:]

    public init(user: String, password: Secret, knownHosts: KnownHostsFile, commandTimeout: Duration) {
        self.user = user
        self.password = password
        self.knownHosts = knownHosts
        self.commandTimeout = commandTimeout
    }

    /// The session to `host`, opened once even when several units on it ask at the same time.
    public func session(_ host: String) async throws -> SSHSession {
        if let task = opening[host] { return try await task.value }
        let keys = try knownHosts.keys(host: host)
        guard !keys.isEmpty else {
            throw OrchestratorError("no pinned host key for \(host) in \(knownHosts.path)",
                                    hint: "`goldfleet up` pins each machine's host keys when it makes the machine; run it again")
        }
        let options = SSHConnectOptions(host: host, user: user, authentication: .password(password), expectedHostKeys: keys,
                                        connectDeadline: .seconds(10), commandTimeout: commandTimeout)
        let task = Task { try await SSHSession.connect(options) }
        opening[host] = task
        do {
            return try await task.value
        } catch {
            if opening[host] == task { opening[host] = nil }
            throw error
        }
    }

    /// Closes and forgets the session to `host` (after it failed: the next use opens a new one).
    public func discard(_ host: String) async {
        guard let task = opening.removeValue(forKey: host) else { return }
        await (try? task.value)?.close()
    }

    public func closeAll() async {
        for host in Array(opening.keys) { await discard(host) }
    }
}
