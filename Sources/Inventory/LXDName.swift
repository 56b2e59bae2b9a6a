/// LXD's own rules for the names goldfleet sends it, so `validate` refuses a bad name with its
/// line instead of LXD refusing a request later (or a name reaching a URL it should not).
///
/// The rules follow LXD's validators: instance names are host names (`validate.IsHostname`),
/// snapshot names may not hold `/`, pool and member names keep to a plain character set.
/// Every name is also percent-encoded as one path segment by `LXDPath`.
enum LXDName {
    /// Why `name` is not a valid LXD instance name (a host name), or `nil`.
    static func instanceProblem(_ name: String) -> String? {
        if name.isEmpty || name.utf8.count > 63 { return "must be 1–63 characters long" }
        if let bad = name.unicodeScalars.first(where: { !InstanceName.isAllowed($0) }) {
            return "contains \(describe(bad)); only ASCII letters, digits and hyphens are allowed"
        }
        if name.hasPrefix("-") || name.hasSuffix("-") { return "must not start or end with a hyphen" }
        if name.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) { return "must not be a number" }
        return nil
    }

    /// Snapshot names: anything but `/`, `.`/`..`, whitespace and control characters.
    static func snapshotProblem(_ name: String) -> String? {
        if name.isEmpty { return "must not be empty" }
        if name == "." || name == ".." { return "must not be `.` or `..`" }
        if let bad = name.unicodeScalars.first(where: { $0 == "/" || isSpaceOrControl($0) }) {
            return "contains \(describe(bad)); a snapshot name may not hold `/`, spaces or control characters"
        }
        return segmentProblem(name)
    }

    /// Storage pool names: ASCII letters, digits, `-`, `_` and `.`, not starting with `-`.
    static func poolProblem(_ name: String) -> String? {
        plainProblem(name, allowing: "-_.")
    }

    /// Cluster member names: ASCII letters, digits, `-`, `_` and `.`, not starting with `-`.
    static func memberProblem(_ name: String) -> String? {
        plainProblem(name, allowing: "-_.")
    }

    /// Profile names: no `/`, no `.`/`..`, no whitespace or control characters.
    static func profileProblem(_ name: String) -> String? {
        snapshotProblem(name)
    }

    /// Image aliases may be paths such as `goldfleet/base/bookworm`, but without empty, `.` or
    /// `..` parts, whitespace, control characters or `:` (the `lxc` remote separator).
    static func imageAliasProblem(_ name: String) -> String? {
        if name.isEmpty { return "must not be empty" }
        if let bad = name.unicodeScalars.first(where: { $0 == ":" || isSpaceOrControl($0) }) {
            return "contains \(describe(bad)); an alias may not hold `:`, spaces or control characters"
        }
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        if parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
            return "has an empty, `.` or `..` part between slashes"
        }
        if name.hasPrefix("-") { return "must not start with `-`" }
        return segmentProblem(name)
    }

    private static func plainProblem(_ name: String, allowing extra: String) -> String? {
        if name.isEmpty { return "must not be empty" }
        if name == "." || name == ".." { return "must not be `.` or `..`" }
        if let bad = name.unicodeScalars.first(where: { !isLetterOrDigit($0) && !extra.unicodeScalars.contains($0) }) {
            return "contains \(describe(bad)); only ASCII letters, digits and \(extra.map { "`\($0)`" }.joined(separator: ", ")) are allowed"
        }
        if name.hasPrefix("-") { return "must not start with `-`" }
        return nil
    }

    /// LXD's `IsURLSegmentSafe`: these would change a URL's meaning if ever sent unencoded.
    private static func segmentProblem(_ name: String) -> String? {
        if let bad = name.unicodeScalars.first(where: { "?&#+%\\".unicodeScalars.contains($0) }) {
            return "contains \(describe(bad)), which LXD does not allow in names"
        }
        return nil
    }

    private static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    private static func isSpaceOrControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    private static func describe(_ scalar: Unicode.Scalar) -> String {
        scalar.value < 0x20 || scalar.properties.isWhitespace ? "U+\(String(scalar.value, radix: 16, uppercase: true))" : "`\(scalar)`"
    }
}
