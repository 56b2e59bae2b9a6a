import Foundation

/// The remote side of `SSHSession.installAuthorizedKeys`: a POSIX shell script that reads key
/// lines on stdin, so keys never appear on a command line.
enum AuthorizedKeysInstaller {
    static let script = """
        set -e
        umask 077
        changed=0
        dir="$HOME/.ssh"
        file="$dir/authorized_keys"
        [ -d "$dir" ] || { mkdir -p "$dir"; changed=1; }
        [ "$(stat -c %a "$dir")" = 700 ] || { chmod 700 "$dir"; changed=1; }
        [ -f "$file" ] || { : > "$file"; changed=1; }
        [ "$(stat -c %a "$file")" = 600 ] || { chmod 600 "$file"; changed=1; }
        # A last line without a newline would glue the next key onto it.
        if [ -s "$file" ] && [ -n "$(tail -c 1 "$file")" ]; then echo >> "$file"; changed=1; fi
        while IFS= read -r key || [ -n "$key" ]; do
          [ -n "$key" ] || continue
          if ! grep -qxF -- "$key" "$file"; then printf '%s\\n' "$key" >> "$file"; changed=1; fi
        done
        echo "goldfleet-changed=$changed"
        """

    /// One key per line, no blank or multi-line entries.
    static func validatedLines(_ keys: [String], host: String) throws(SSHError) -> [String] {
        var lines: [String] = []
        for key in keys {
            let line = key.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.contains(where: \.isNewline) else {
                throw .invalidInput(host: host, step: .exec,
                                    detail: "an authorized key must be one non-empty line (got \(line.isEmpty ? "an empty one" : "several lines"))")
            }
            lines.append(line)
        }
        return lines
    }

    static func parse(_ result: SSHExecResult, host: String) throws(SSHError) -> Bool {
        guard result.succeeded else {
            throw .execFailed(host: host, command: "install authorized_keys",
                              detail: "exit status \(result.exitStatus): \(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        if result.stdout.contains("goldfleet-changed=1") { return true }
        if result.stdout.contains("goldfleet-changed=0") { return false }
        throw .execFailed(host: host, command: "install authorized_keys", detail: "unexpected output: \(result.stdout.prefix(200))")
    }
}
