import Crypto

/// The SHA-256 fingerprint of a certificate's DER encoding: how LXD names certificates
/// (`lxc info` shows the server's as `certificate_fingerprint`, `lxc remote add` asks to accept
/// it, `lxc config trust list` lists clients by it) and what
/// `openssl x509 -noout -fingerprint -sha256` prints.
public struct LXDCertificateFingerprint: Sendable, Hashable, CustomStringConvertible {
    /// Where to read a server's fingerprint; said wherever one is missing or malformed.
    public static let whereToFind = "on the server, `lxc info | grep certificate_fingerprint` shows it (or `openssl x509 -in /var/lib/lxd/server.crt -noout -fingerprint -sha256`; snap: /var/snap/lxd/common/lxd/server.crt)"

    /// 64 lower-case hex digits, no separators: the form LXD uses.
    public let hex: String

    /// Reads a fingerprint as people paste it: LXD's plain hex, openssl's `AB:CD:…` (also with
    /// its `sha256 Fingerprint=` prefix), upper or lower case, with spaces or colons. Only the
    /// full 64 digits pin anything: the 12-digit short form of `lxc config trust list` is refused.
    public init?(_ text: String) {
        var body = Substring(text)
        if let equals = body.lastIndex(of: "=") { body = body[body.index(after: equals)...] }
        if body.lowercased().hasPrefix("sha256:") { body = body.dropFirst("sha256:".count) }
        let digits = body.filter { $0 != ":" && !$0.isWhitespace }.lowercased()
        guard digits.count == 64, digits.allSatisfy(\.isHexDigit) else { return nil }
        hex = digits
    }

    /// The fingerprint of a DER-encoded certificate.
    public init(der: some Sequence<UInt8>) {
        hex = SHA256.hash(data: Array(der)).map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    /// `AB:CD:…`, as openssl prints it, for comparing by eye with its output.
    public var colonSeparated: String {
        var pairs: [String] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            pairs.append(hex[index..<next].uppercased())
            index = next
        }
        return pairs.joined(separator: ":")
    }

    public var description: String { hex }
}
