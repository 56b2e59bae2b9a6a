import Crypto
import Foundation
import GoldfleetSupport

/// A server's public host key, as OpenSSH writes it in `/etc/ssh/ssh_host_*_key.pub`.
///
/// Two keys are equal when their type and key bytes are equal; the comment does not count.
public struct SSHHostKey: Sendable, Hashable, CustomStringConvertible {
    /// The key type, e.g. `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`.
    public let type: String
    /// The key in SSH wire format (what the base64 field of a `.pub` line decodes to).
    public let keyData: [UInt8]
    /// The text after the key in a `.pub` line, if any (often `root@host`).
    public let comment: String?

    public struct ParseError: UserFacingError, Equatable {
        public let line: String
        public let reason: String
        public var message: String { "not an OpenSSH public key line (\(reason)): \(line.prefix(80))" }
        public var hint: String? { "expected `TYPE BASE64 [COMMENT]` as in /etc/ssh/ssh_host_ed25519_key.pub" }
    }

    /// Parses `"ssh-ed25519 AAAA… comment"`. Checks that the base64 decodes and that the type
    /// written inside the key matches the type in front of it.
    public init(openSSHLine: String) throws {
        let trimmed = openSSHLine.trimmingCharacters(in: .whitespacesAndNewlines)
        let fields = trimmed.split(maxSplits: 2, omittingEmptySubsequences: true) { $0 == " " || $0 == "\t" }
        guard fields.count >= 2 else {
            throw ParseError(line: trimmed, reason: "needs a key type and a base64 key")
        }
        guard let data = Data(base64Encoded: String(fields[1])), !data.isEmpty else {
            throw ParseError(line: trimmed, reason: "the key is not valid base64")
        }
        let type = String(fields[0])
        let bytes = [UInt8](data)
        guard let embedded = Self.embeddedType(bytes), embedded == type else {
            throw ParseError(line: trimmed, reason: "the key data does not start with its type `\(type)`")
        }
        let comment = fields.count > 2 ? String(fields[2]) : nil
        self.init(type: type, keyData: bytes, comment: comment)
    }

    /// Every key in text holding one `.pub` line per key, e.g. the output of
    /// `cat /etc/ssh/ssh_host_*_key.pub`. Blank lines and `#` comments are skipped.
    public static func keys(fromPublicKeyLines text: String) throws -> [SSHHostKey] {
        try text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
            .map { try SSHHostKey(openSSHLine: $0) }
    }

    /// A key as a server presented it during the handshake.
    public init(type: String, keyData: [UInt8], comment: String? = nil) {
        self.type = type
        self.keyData = keyData
        self.comment = comment
    }

    /// `SHA256:` and the unpadded base64 of the key's SHA-256, exactly as `ssh-keygen -l` prints it.
    public var sha256Fingerprint: String {
        let digest = Data(SHA256.hash(data: keyData)).base64EncodedString()
        return "SHA256:" + digest.replacingOccurrences(of: "=", with: "")
    }

    /// `TYPE BASE64` plus the comment when there is one.
    public var openSSHLine: String {
        let base = "\(type) \(Data(keyData).base64EncodedString())"
        if let comment, !comment.isEmpty { return "\(base) \(comment)" }
        return base
    }

    public var description: String { "\(type) \(sha256Fingerprint)" }

    public static func == (lhs: SSHHostKey, rhs: SSHHostKey) -> Bool {
        lhs.type == rhs.type && lhs.keyData == rhs.keyData
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(type)
        hasher.combine(keyData)
    }

    /// The host key algorithms a server may sign with for a key of this type, in our order of
    /// preference (an RSA key can sign with SHA-2 or the old SHA-1 scheme).
    var hostKeyAlgorithms: [String] {
        type == "ssh-rsa" ? ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] : [type]
    }

    /// The wire format starts with a length-prefixed type string.
    static func embeddedType(_ bytes: [UInt8]) -> String? {
        guard bytes.count >= 4 else { return nil }
        let length = Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
        guard length > 0, length <= bytes.count - 4 else { return nil }
        return String(decoding: bytes[4..<(4 + length)], as: UTF8.self)
    }
}
