/// The names goldfleet gives the instances it creates (machines and golds): LXD's host-name rule
/// (`LXDName.instanceProblem`), and a letter first, so a name never reads as a number or an option.
public enum InstanceName {
    static let maximumLength = 63

    /// Why `name` is not a valid LXD instance name, or `nil` when it is.
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "an instance name cannot be empty" }
        if name.utf8.count > maximumLength {
            return "instance name `\(name)` is \(name.utf8.count) characters; LXD allows at most \(maximumLength)"
        }
        if let bad = name.unicodeScalars.first(where: { !isAllowed($0) }) {
            return "instance name `\(name)` contains `\(bad)`; only ASCII letters, digits and hyphens are allowed"
        }
        if let first = name.unicodeScalars.first, first == "-" || ("0"..."9").contains(first) {
            return "instance name `\(name)` starts with `\(first)`; it must start with a letter"
        }
        if name.hasSuffix("-") { return "instance name `\(name)` ends with a hyphen" }
        return nil
    }

    /// The characters of a host name: ASCII letters, digits and `-`.
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
            || scalar == "-"
    }

    /// `<env>-<group>-<index>`: always indexed, so adding a second instance never renames the first.
    static func make(environment: String, group: String, index: Int) -> String {
        "\(environment)-\(group)-\(index)"
    }
}
