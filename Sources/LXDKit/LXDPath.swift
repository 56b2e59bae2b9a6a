/// A request path of the LXD API, built from segments that are each percent-encoded.
///
/// Names in a path (instance, snapshot, pool, alias, network, fingerprint) come from inventories
/// and from LXD; encoding each one as a single segment means no name can add a segment (`/`),
/// climb out of its collection (`..`), or start a query or fragment (`?`, `&`, `#`).
/// The LXD client takes only `LXDPath`, so there is no other way to build a request path.
struct LXDPath: Sendable, Equatable, CustomStringConvertible {
    /// The path as sent, after the host: `/1.0/instances/web-1/snapshots/snap%2F1`.
    let encoded: String

    /// `/1.0` followed by `segments`, each encoded: `LXDPath("instances", name, "state")`.
    init(_ segments: String...) {
        self.init(segments: segments)
    }

    init(segments: [String]) {
        encoded = "/1.0" + segments.map { "/" + Self.encodedSegment($0) }.joined()
    }

    /// A path LXD itself returned (an operation or a log URL). It is already a path, so `/` is
    /// kept; anything a path may not hold is still encoded.
    init(returnedByServer path: String) {
        var text = ""
        for byte in path.utf8 {
            let scalar = Unicode.Scalar(byte)
            if Self.isUnreserved(byte) || "/:@".unicodeScalars.contains(scalar) {
                text.unicodeScalars.append(scalar)
            } else {
                text += Self.percent(byte)
            }
        }
        encoded = text
    }

    /// This path with more segments appended, each encoded.
    func appending(_ segments: String...) -> LXDPath {
        LXDPath(alreadyEncoded: encoded + segments.map { "/" + Self.encodedSegment($0) }.joined())
    }

    private init(alreadyEncoded: String) {
        encoded = alreadyEncoded
    }

    var description: String { encoded }

    /// One segment: every byte but RFC 3986's unreserved ones is percent-encoded, and the
    /// dot segments `.` and `..` are encoded in full so no client or proxy collapses them.
    static func encodedSegment(_ segment: String) -> String {
        if segment == "." || segment == ".." { return String(repeating: "%2E", count: segment.count) }
        var text = ""
        for byte in segment.utf8 {
            if isUnreserved(byte) { text.unicodeScalars.append(Unicode.Scalar(byte)) } else { text += percent(byte) }
        }
        return text
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    private static func percent(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "%" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }
}
