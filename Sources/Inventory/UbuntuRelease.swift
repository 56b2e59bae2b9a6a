/// The Ubuntu releases juju 2.9 names by series and 3.x by base (`jammy` ↔ `ubuntu@22.04`):
/// bundles written for 2.9 say `series:`, and `deploy` on 2.9 takes `--series`.
public enum UbuntuRelease {
    /// `ubuntu@22.04` → `jammy`; nil for other bases.
    public static func series(base: String) -> String? {
        guard base.hasPrefix("ubuntu@") else { return nil }
        return releases[String(base.dropFirst("ubuntu@".count))]
    }

    /// `jammy` → `ubuntu@22.04`.
    public static func base(series: String) -> String? {
        releases.first { $0.value == series }.map { "ubuntu@\($0.key)" }
    }

    private static let releases = ["16.04": "xenial", "18.04": "bionic", "20.04": "focal", "22.04": "jammy", "24.04": "noble"]
}
