/// Where a wheelhouse may go inside a machine.
///
/// The sync lists the destination and removes goldfleet's temporary files there, so it must be a
/// directory of its own: a path under the login user's home (`wheelhouse`, `~/wheelhouse`,
/// `~USER/wheelhouse`), or an absolute path the user clearly chose, at least two levels deep
/// and outside the system directories. `..` is never allowed.
enum WheelhouseRemote {
    /// Top-level directories an absolute destination may not be in.
    static let systemDirectories: Set<String> = [
        "bin", "boot", "dev", "etc", "lib", "lib32", "lib64", "libx32", "lost+found", "proc", "root",
        "run", "sbin", "snap", "sys", "usr", "var",
    ]

    /// Why `remote` may not be used for `user`, with the fix; `nil` when it may.
    static func problem(_ remote: String, user: String) -> (problem: String, fix: String)? {
        let example = "write a directory under the home, e.g. `~/wheelhouse`, or an absolute one such as `/opt/wheelhouse`"
        if remote.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return ("contains a control character", example)
        }
        if CommandLineSafety.isOptionLike(remote) {
            return (CommandLineSafety.rule, example)
        }
        var rest = Substring(remote)
        var isAbsolute = false
        if rest == "~" || rest.hasPrefix("~/") {
            rest = rest.dropFirst()
        } else if rest.hasPrefix("~") {
            let name = rest.dropFirst().prefix { $0 != "/" }
            guard name == user else {
                return ("`~\(name)` is another user's home; goldfleet logs in as `\(user)`", "use `~/\(rest.dropFirst(name.count + 1).drop { $0 == "/" })` (the home of `\(user)`)")
            }
            rest = rest.dropFirst(name.count + 1)
        } else if rest.hasPrefix("/") {
            isAbsolute = true
        }
        let parts = rest.split(separator: "/").filter { $0 != "." }
        if parts.contains("..") {
            return ("`..` is not allowed in the destination (it could leave the directory it names)", example)
        }
        if isAbsolute {
            guard parts.count >= 2 else {
                return (parts.isEmpty ? "is the root directory" : "is a top-level directory", "use a directory of its own, e.g. `/opt/wheelhouse`, or `~/wheelhouse`")
            }
            if parts.count == 2, parts[0] == "home" {
                return ("is a home directory itself; the sync manages the whole destination", "name a directory under it, e.g. `/\(parts.joined(separator: "/"))/wheelhouse`")
            }
            if let top = parts.first, systemDirectories.contains(String(top)) {
                return ("is inside the system directory `/\(top)`", "use a directory of its own, e.g. `/opt/wheelhouse`, or `~/wheelhouse`")
            }
            return nil
        }
        if parts.isEmpty {
            return ("is the home directory itself; the sync manages the whole destination", "name a directory under it, e.g. `~/wheelhouse`")
        }
        return nil
    }
}
