import Foundation
import GoldfleetSupport

/// Files holding a secret (the SSH password, the LXD client key) should be readable by their
/// owner only; `validate` warns about the others, naming the mode and the `chmod` that fixes it.
enum SecretFileMode {
    /// The warning for `path` (`what` names it: "password file"), or `nil` when its mode is
    /// private or it cannot be examined (a missing file is reported elsewhere).
    static func warning(atPath path: String, what: String) -> (message: String, fix: String)? {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        let permissions = Int(status.st_mode & 0o777)
        guard permissions & 0o077 != 0 else { return nil }
        let who = permissions & 0o007 != 0 ? "other users" : "members of its group"
        let can = permissions & 0o044 != 0 ? "read" : "change"
        let mode = String(permissions, radix: 8)
        return ("\(what) `\(path)` has mode \(String(repeating: "0", count: max(0, 4 - mode.count)) + mode): \(who) can \(can) it",
                "make it private to its owner: `chmod 600 \(Command.quoted(path))`")
    }
}
