import Crypto
import Foundation

/// One line of an OpenSSH known_hosts file, read the way sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"
/// describes it: `[@marker] hostpatterns keytype base64key [comment]`, where hostpatterns is a
/// comma-separated list of names, `[name]:port` forms, wildcards, `!negations` and hashed
/// `|1|base64(salt)|base64(HMAC-SHA1(salt, name))` entries. Lines it cannot read are kept as
/// they are.
struct KnownHostsLine: Equatable {
    /// The line as it was read (rewritten only when a host is dropped from its list).
    let text: String
    /// `@cert-authority` or `@revoked`: such lines say something else than "this host has this
    /// key" and are never touched.
    let marker: String?
    let hostPatterns: [String]
    let keyType: String?
    let keyBase64: String?
    /// Everything after the key (goldfleet's label lives here).
    let comment: String?

    init(_ text: String) {
        self.text = text
        var fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if fields.first?.hasPrefix("#") ?? true {
            marker = nil; hostPatterns = []; keyType = nil; keyBase64 = nil; comment = nil
            return
        }
        marker = fields[0].hasPrefix("@") ? fields.removeFirst() : nil
        hostPatterns = fields.first.map { $0.split(separator: ",").map(String.init) } ?? []
        keyType = fields.count > 1 ? fields[1] : nil
        keyBase64 = fields.count > 2 ? fields[2] : nil
        comment = fields.count > 3 ? fields[3...].joined(separator: " ") : nil
    }

    /// A line that says "this host has this key" (no marker), which goldfleet may edit.
    var isHostKeyEntry: Bool { marker == nil && !hostPatterns.isEmpty && keyBase64 != nil }

    var key: SSHHostKey? {
        guard let keyType, let keyBase64 else { return nil }
        return try? SSHHostKey(openSSHLine: "\(keyType) \(keyBase64)")
    }

    /// The patterns that name `host` on `port`: literally (case-insensitive, as OpenSSH lowers
    /// host names), as `[host]:port` (also `[host]:22` for the default port), or hashed.
    /// Wildcards and negations are user rules, not names, and never match.
    func patterns(naming host: String, port: Int) -> [String] {
        let names = Self.names(host: host, port: port)
        return hostPatterns.filter { pattern in
            if pattern.hasPrefix("|1|") { return names.contains { Self.hashed(pattern, matches: $0) } }
            return names.contains { $0.caseInsensitiveCompare(pattern) == .orderedSame }
        }
    }

    func names(_ host: String, port: Int) -> Bool { !patterns(naming: host, port: port).isEmpty }

    /// The line without `patterns`, or nil when nothing would be left of it.
    func dropping(_ patterns: [String]) -> KnownHostsLine? {
        let kept = hostPatterns.filter { !patterns.contains($0) }
        guard !kept.isEmpty else { return nil }
        guard kept.count != hostPatterns.count else { return self }
        let rest = [keyType, keyBase64, comment].compactMap { $0 }
        return KnownHostsLine(([marker].compactMap { $0 } + [kept.joined(separator: ",")] + rest).joined(separator: " "))
    }

    private static func names(host: String, port: Int) -> [String] {
        port == 22 ? [host, "[\(host)]:22"] : ["[\(host)]:\(port)"]
    }

    /// OpenSSH's HashKnownHosts form: `|1|salt|hash`, hash = HMAC-SHA1 keyed with the salt.
    static func hashed(_ pattern: String, matches name: String) -> Bool {
        let parts = pattern.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[1] == "1",
              let salt = Data(base64Encoded: String(parts[2])), let hash = Data(base64Encoded: String(parts[3])),
              salt.count == Insecure.SHA1.byteCount else { return false }
        let code = HMAC<Insecure.SHA1>.authenticationCode(for: Data(name.lowercased().utf8), using: SymmetricKey(data: salt))
        return Data(code) == hash
    }
}
