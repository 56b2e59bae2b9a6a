/// Juju's names for what an image runs on, read from the machine itself.
public enum JujuPlatform {
    /// Juju's architecture name for a kernel's `uname -m` (or LXD's architecture name, which is
    /// the same). Unknown names pass through unchanged.
    public static func architecture(kernel: String) -> String {
        switch kernel.trimmingCharacters(in: .whitespacesAndNewlines) {
        case "x86_64", "amd64": "amd64"
        case "aarch64", "arm64": "arm64"
        case "ppc64le", "ppc64el": "ppc64el"
        case "s390x": "s390x"
        case "riscv64": "riscv64"
        case let other: other
        }
    }

    /// The fields of an `/etc/os-release` file (`KEY=value`, values optionally quoted).
    public static func osRelease(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            guard !line.hasPrefix("#"), let equals = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<equals])
            var value = String(line[line.index(after: equals)...])
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            fields[key] = value
        }
        return fields
    }

    /// The series (`bookworm`, `jammy`): `VERSION_CODENAME`, else Ubuntu's `UBUNTU_CODENAME`.
    public static func series(osRelease text: String) -> String? {
        let fields = osRelease(text)
        for key in ["VERSION_CODENAME", "UBUNTU_CODENAME"] {
            if let value = fields[key], !value.isEmpty { return value }
        }
        return nil
    }

    /// The alias `publish` moves by default: `juju/<series>/<arch>`.
    public static func defaultAlias(series: String, architecture: String) -> String {
        "juju/\(series)/\(architecture)"
    }
}
