import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A goldfleet-managed OpenSSH known_hosts file for one environment: plain
/// `HOST KEYTYPE BASE64` lines (`[HOST]:PORT` for other ports than 22), which OpenSSH accepts
/// with `StrictHostKeyChecking=yes`. Entries are added when machines come up and dropped on
/// teardown. Writes are atomic (temporary file + rename) and serialised across threads and
/// processes with a lock file next to it.
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

    /// The options that make `ssh`/`scp` trust exactly this file.
    public var openSSHOptions: [String] {
        ["-o", "UserKnownHostsFile=\(path)", "-o", "StrictHostKeyChecking=yes", "-o", "GlobalKnownHostsFile=/dev/null"]
    }

    /// Adds the keys for `host`, replacing whatever the file said about it before (a machine
    /// recreated under the same address has new keys).
    public func add(host: String, port: Int = 22, keys: [SSHHostKey]) throws(Failure) {
        let pattern = Self.hostPattern(host: host, port: port)
        try update { lines in
            lines.removeAll { Self.host(of: $0) == pattern }
            for key in keys {
                lines.append("\(pattern) \(key.type) \(Data(key.keyData).base64EncodedString())")
            }
        }
    }

    /// Drops every line for `host`. Missing file or host is fine.
    public func remove(host: String, port: Int = 22) throws(Failure) {
        let pattern = Self.hostPattern(host: host, port: port)
        guard FileManager.default.fileExists(atPath: path) else { return }
        try update { lines in lines.removeAll { Self.host(of: $0) == pattern } }
    }

    /// Removes the file (and its lock file) when the environment is torn down.
    public func delete() throws(Failure) {
        for file in [path, path + ".lock"] where FileManager.default.fileExists(atPath: file) {
            guard unlink(file) == 0 else { throw Failure(path: file, reason: String(cString: strerror(errno))) }
        }
    }

    /// The keys the file holds for `host`.
    public func keys(host: String, port: Int = 22) throws(Failure) -> [SSHHostKey] {
        let pattern = Self.hostPattern(host: host, port: port)
        return try readLines().compactMap { line in
            guard Self.host(of: line) == pattern else { return nil }
            let rest = line.dropFirst(pattern.utf8.count).trimmingCharacters(in: .whitespaces)
            return try? SSHHostKey(openSSHLine: rest)
        }
    }

    /// How OpenSSH names a host in known_hosts.
    public static func hostPattern(host: String, port: Int) -> String {
        port == 22 ? host : "[\(host)]:\(port)"
    }

    private static func host(of line: String) -> String? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
        return trimmed.split(separator: " ", maxSplits: 1).first.map(String.init)
    }

    private func readLines() throws(Failure) -> [String] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        } catch {
            throw Failure(path: path, reason: "\(error.localizedDescription)")
        }
    }

    private func update(_ change: (inout [String]) -> Void) throws(Failure) {
        let lockPath = path + ".lock"
        let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lock >= 0 else { throw Failure(path: path, reason: "cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        defer { close(lock) }
        // flock locks belong to the open file description, so this also orders threads of one process.
        guard flock(lock, LOCK_EX) == 0 else { throw Failure(path: path, reason: "cannot lock \(lockPath)") }
        defer { flock(lock, LOCK_UN) }

        var lines = try readLines()
        change(&lines)
        let text = lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
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
