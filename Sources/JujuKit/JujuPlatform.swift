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

    /// The alias juju 2.x's LXD provider looks for: `juju/<series>/<arch>` (container/lxd/image.go
    /// `seriesLocalAlias`, juju-2.9.21 8a154b7d629f6d9c0693aba7accf255789996c14).
    public static func defaultAlias(series: String, architecture: String) -> String {
        "juju/\(series)/\(architecture)"
    }

    /// The alias juju 3.x looks for: `juju/<os>@<version>/<arch>`, e.g. `juju/ubuntu@22.04/amd64`
    /// (container/lxd/image.go `baseLocalAlias(base.DisplayString(), …)`, branch 3.6
    /// 1c91c54fafcd8546dacb4254242ab0ae08ac9128; DisplayString leaves out the `stable` risk; VMs
    /// add `/vm`, containers nothing).
    public static func baseAlias(os: String, version: String, architecture: String) -> String {
        "juju/\(os)@\(version)/\(architecture)"
    }

    /// The aliases `publish` moves by default, one per juju line: 2.x's series alias, then 3.x's
    /// base alias (when the OS names a VERSION_ID).
    public static func defaultAliases(_ platform: GoldPlatform) -> [String] {
        [defaultAlias(series: platform.series, architecture: platform.architecture)]
            + (platform.version.map { [baseAlias(os: platform.os, version: $0, architecture: platform.architecture)] } ?? [])
    }

    /// Which juju lines launch an image under `alias` from their LXD provider.
    public static func jujuLines(readingAlias alias: String) -> String? {
        reader(ofAlias: alias)?.line
    }

    /// Who reads `alias`: juju 2.x for `juju/<series>/<arch>`, juju 3.x for `juju/<os>@<version>/<arch>`;
    /// nil for any other alias.
    public static func reader(ofAlias alias: String) -> JujuAliasReader? {
        let parts = alias.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, parts[0] == "juju", !parts[1].isEmpty, !parts[2].isEmpty else { return nil }
        if let at = parts[1].firstIndex(of: "@") {
            let os = String(parts[1][..<at])
            return JujuAliasReader(line: "juju 3.x", base: parts[1], architecture: parts[2], isUbuntu: os == "ubuntu")
        }
        return JujuAliasReader(line: "juju 2.x", base: parts[1], architecture: parts[2], isUbuntu: ubuntuSeries.contains(parts[1]))
    }

    /// Ubuntu's series names: juju 2.x names machines by series, and deploys only Ubuntu ones.
    static let ubuntuSeries: Set<String> = [
        "trusty", "xenial", "bionic", "cosmic", "disco", "eoan", "focal", "groovy", "hirsute", "impish", "jammy",
        "kinetic", "lunar", "mantic", "noble", "oracular", "plucky", "questing",
    ]
}

/// A juju line that looks an image up by one of its aliases, and for what.
public struct JujuAliasReader: Sendable, Equatable, CustomStringConvertible {
    /// `juju 2.x` or `juju 3.x`.
    public var line: String
    /// The series (`jammy`, 2.x) or base (`ubuntu@22.04`, 3.x) the alias is for.
    public var base: String
    public var architecture: String
    /// juju deploys Ubuntu only, so only an Ubuntu series or base is ever asked for.
    public var isUbuntu: Bool

    /// `juju 3.x (ubuntu@22.04)`, or for a non-Ubuntu alias what juju will never ask for.
    public var description: String {
        let what = line == "juju 2.x" ? "series" : "base"
        return isUbuntu ? "\(line) (\(what) \(base))" : "no juju (\(line) would read it for \(what) \(base), but deploys Ubuntu only)"
    }
}
