import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GoldfleetSupport

/// An OpenSSH known_hosts file goldfleet writes host keys into: its own file per environment,
/// and the one juju's ssh reads (`~/.ssh/known_hosts`, shared with the user). goldfleet writes
/// plain `HOST KEYTYPE BASE64 LABEL` lines (`[HOST]:PORT` for other ports than 22), which
/// OpenSSH accepts with `StrictHostKeyChecking=yes`; LABEL (`goldfleet:ENV/INSTANCE`) is an
/// OpenSSH comment that tells goldfleet's lines from the user's. Lines are matched in every form
/// OpenSSH writes: plain, hashed (`HashKnownHosts`), in a comma-separated list, `[HOST]:PORT`;
/// `@cert-authority` and `@revoked` lines are never touched. Writes are atomic (temporary file +
/// rename) and serialised across threads and processes with a lock file next to it.
public struct KnownHostsFile: Sendable, Equatable {
    public let path: String

    public struct Failure: UserFacingError {
        public let path: String
        public let reason: String
        public var message: String { "cannot update the known_hosts file \(path): \(reason)" }
        public var hint: String? { "check that its directory exists and is writable" }
    }

    public init(path: String) {
        self.path = path
    }

    /// The comment goldfleet puts on the lines it writes for one instance.
    public static func label(environment: String, instance: String) -> String {
        "goldfleet:\(environment)/\(instance)"
    }

    /// The options that make `ssh`/`scp` trust exactly this file.
    public var openSSHOptions: [String] {
        ["-o", "UserKnownHostsFile=\(path)", "-o", "StrictHostKeyChecking=yes", "-o", "GlobalKnownHostsFile=/dev/null"]
    }

    /// Adds the keys for `host`, replacing whatever the file said about that address before in
    /// any form (a machine recreated under the same address has new keys; a stale line makes
    /// OpenSSH refuse it with "REMOTE HOST IDENTIFICATION HAS CHANGED").
    public func add(host: String, port: Int = 22, keys: [SSHHostKey], label: String? = nil) throws(Failure) {
        let pattern = Self.hostPattern(host: host, port: port)
        try update { lines in
            Self.forget(host: host, port: port, in: &lines)
            for key in keys {
                let text = "\(pattern) \(key.type) \(Data(key.keyData).base64EncodedString())"
                lines.append(KnownHostsLine(label.map { "\(text) \($0)" } ?? text))
            }
        }
    }

    /// Drops every entry for `host`, in any form. Missing file or host is fine.
    public func remove(host: String, port: Int = 22) throws(Failure) {
        guard FileManager.default.fileExists(atPath: path) else { return }
        try update { lines in
            Self.forget(host: host, port: port, in: &lines)
        }
    }

    /// `down`'s rule for a file shared with the user: drops the lines goldfleet wrote for the
    /// instance (`label`), and the entries for its `addresses` whose key is one of the
    /// instance's own host keys: those are the lines OpenSSH's `UpdateHostKeys` added (hashed)
    /// when juju's ssh logged in. An entry for the address with any other key was written by
    /// the user (or for another machine) and stays.
    public func removeInstance(label: String, addresses: [String], instanceKeys: [SSHHostKey]) throws(Failure) {
        guard FileManager.default.fileExists(atPath: path) else { return }
        try update { lines in
            lines = lines.compactMap { line in
                guard line.isHostKeyEntry else { return line }
                if line.comment == label { return nil }
                guard let key = line.key, instanceKeys.contains(key) else { return line }
                return line.dropping(addresses.flatMap { line.patterns(naming: $0, port: 22) })
            }
        }
    }

    /// Removes the file (and its lock file) when the environment is torn down.
    public func delete() throws(Failure) {
        for file in [path, path + ".lock"] where FileManager.default.fileExists(atPath: file) {
            guard unlink(file) == 0 else { throw Failure(path: file, reason: String(cString: strerror(errno))) }
        }
    }

    /// The keys the file holds for `host`.
    public func keys(host: String, port: Int = 22) throws(Failure) -> [SSHHostKey] {
        try readLines().compactMap { line in
            line.isHostKeyEntry && line.names(host, port: port) ? line.key : nil
        }
    }

    /// The keys and hosts of the lines goldfleet wrote with `label`.
    public func entries(label: String) throws(Failure) -> [(host: String, key: SSHHostKey)] {
        try readLines().compactMap { line in
            guard line.isHostKeyEntry, line.comment == label, let key = line.key, let host = line.hostPatterns.first else { return nil }
            return (Self.address(ofPattern: host), key)
        }
    }

    /// Drops `host` from every entry that names it (the whole line when it named only that).
    private static func forget(host: String, port: Int, in lines: inout [KnownHostsLine]) {
        lines = lines.compactMap { line in
            guard line.isHostKeyEntry else { return line }
            return line.dropping(line.patterns(naming: host, port: port))
        }
    }

    /// How OpenSSH names a host in known_hosts.
    public static func hostPattern(host: String, port: Int) -> String {
        port == 22 ? host : "[\(host)]:\(port)"
    }

    private static func address(ofPattern pattern: String) -> String {
        guard pattern.hasPrefix("["), let close = pattern.firstIndex(of: "]") else { return pattern }
        return String(pattern[pattern.index(after: pattern.startIndex)..<close])
    }

    /// The known_hosts OpenSSH reads by default for this user: `~/.ssh/known_hosts`, where `~`
    /// is the home directory of the passwd entry (OpenSSH ignores `$HOME` for this).
    public static func openSSHUserFile() -> String? {
        guard let entry = getpwuid(getuid()), let home = entry.pointee.pw_dir else { return nil }
        return "\(String(cString: home))/.ssh/known_hosts"
    }

    private func readLines() throws(Failure) -> [KnownHostsLine] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return text.split(separator: "\n", omittingEmptySubsequences: true).map { KnownHostsLine(String($0)) }
        } catch {
            throw Failure(path: path, reason: "\(error.localizedDescription)")
        }
    }

    private func update(_ change: (inout [KnownHostsLine]) -> Void) throws(Failure) {
        let lockPath = path + ".lock"
        let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lock >= 0 else { throw Failure(path: path, reason: "cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        defer { close(lock) }
        // flock locks belong to the open file description, so this also orders threads of one process.
        guard flock(lock, LOCK_EX) == 0 else { throw Failure(path: path, reason: "cannot lock \(lockPath)") }
        defer { flock(lock, LOCK_UN) }

        var lines = try readLines()
        change(&lines)
        let text = lines.isEmpty ? "" : lines.map(\.text).joined(separator: "\n") + "\n"
        let temporary = "\(path).tmp-\(getpid())-\(UUID().uuidString.prefix(8))"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw Failure(path: path, reason: "cannot write \(temporary)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure(path: path, reason: reason)
        }
    }
}
