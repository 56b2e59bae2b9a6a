/// The version `juju version` reports, e.g. `3.5.4-genericlinux-amd64` or `2.9.49-ubuntu-amd64`.
public struct JujuVersion: Sendable, Hashable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public var patch: Int
    /// The full text juju printed, kept for messages.
    public var raw: String

    public init(major: Int, minor: Int, patch: Int = 0, raw: String? = nil) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.raw = raw ?? "\(major).\(minor).\(patch)"
    }

    /// Parses `MAJOR.MINOR[.PATCH|-TAG…][-OS-ARCH]`; juju also prints tags like `3.6-beta1-…`.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let firstLine = trimmed.split(separator: "\n").first else { return nil }
        let numberPart = firstLine.split(separator: "-").first ?? ""
        let numbers = numberPart.split(separator: ".").map { Int($0) }
        guard numbers.count >= 2, let major = numbers[0], let minor = numbers[1] else { return nil }
        let patch = numbers.count > 2 ? (numbers[2] ?? 0) : 0
        self.init(major: major, minor: minor, patch: patch, raw: String(firstLine))
    }

    /// Juju 3.x renamed `add-relation` to `integrate` (2.9 has no `integrate`).
    public var relationCommand: String { major >= 3 ? "integrate" : "add-relation" }

    public var description: String { raw }
}
