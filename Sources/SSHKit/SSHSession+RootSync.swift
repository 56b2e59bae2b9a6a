import GoldfleetSupport

/// What one `syncDirectoryAsRoot` did.
public struct SSHRootSyncReport: Sendable, Equatable {
    /// The SFTP sync into the staging directory: what crossed the network.
    public var staged: SSHSyncReport
    /// Files and directories copied from the staging directory into the target.
    public var copied: Int
    /// Files removed from the target because they are gone locally.
    public var removed: Int
    /// True when the target's record of the last copy was missing or stale, so everything was copied.
    public var fullCopy: Bool
}

extension SSHSession {
    /// Makes the root-owned directory `target` hold the local tree, as a login user with
    /// passwordless sudo: an SFTP sync (only changed files travel) into `staging`, a directory
    /// of the user's (relative paths are below the home directory), then one `sudo -n` copy of
    /// exactly what changed since the last copy into `target`, as root-owned files with the
    /// local modes. Each file is replaced, never rewritten in place, so a process that has one
    /// open keeps reading the old version.
    ///
    /// The target keeps the manifest of its last complete copy (`.goldfleet-manifest.json`,
    /// removed while a copy runs). `stamp` names a file in `target` that someone else rewrites
    /// when they replace the directory's content (juju's `.juju-charm`); once it differs from
    /// the copy taken at the last sync, that manifest is not trusted and everything is copied.
    /// `excluding` names local entries left out (they count as gone: removed from the target).
    public func syncDirectoryAsRoot(from local: String, staging: String, to target: String, stamp: String? = nil,
                                    excluding: (@Sendable (String) -> Bool)? = nil) async throws -> SSHRootSyncReport {
        let synced = try await syncDirectoryReturningManifest(from: local, to: staging, excluding: excluding)
        let (staged, manifest) = (synced.report, synced.manifest)
        let read = try await execute(Self.readTargetManifestCommand(target: target, stamp: stamp))
        guard read.succeeded else { throw rootCopyError(read, target: target, doing: "reading the last copy's manifest in") }
        let deployed = read.stdoutBytes.isEmpty ? nil : SyncManifest.decode(read.stdoutBytes)
        let plan = RootCopyPlan.make(staged: manifest, deployed: deployed == .empty ? nil : deployed)
        let copy = try await execute(Self.copyCommand(staging: staging, target: target, stamp: stamp), stdin: plan.records())
        guard copy.succeeded else { throw rootCopyError(copy, target: target, doing: "copying as root into") }
        return SSHRootSyncReport(staged: staged, copied: plan.copies.count, removed: plan.removals.count, fullCopy: plan.full)
    }

    /// The name of the target's record of the last copy (the manifest's own name).
    static let copiedManifest = SyncManifest.fileName
    /// Where the target keeps its copy of `stamp` from the last sync.
    static let stampCopy = ".goldfleet-stamp"
    /// The exit status the scripts use for a missing target.
    static let missingTarget: Int32 = 20

    /// A staging path for the shell: relative ones are below `$HOME`, as for SFTP.
    static func shellPath(_ path: String) -> String {
        let relative = LibSSH2Connection.normalizedRemoteRoot(path)
        if relative.hasPrefix("/") { return Command.quoted(relative) }
        return relative == "." ? "\"$HOME\"" : "\"$HOME\"/" + Command.quoted(relative)
    }

    /// Prints the target's manifest, or nothing when there is none or `stamp` changed since.
    static func readTargetManifestCommand(target: String, stamp: String?) -> String {
        let script = """
            c=$1; stamp=$2
            [ -d "$c" ] || { echo "no directory $c" >&2; exit \(missingTarget); }
            if [ -n "$stamp" ] && [ -f "$c/$stamp" ] && [ "$(cat -- "$c/$stamp")" != "$(cat -- "$c/\(stampCopy)" 2>/dev/null)" ]; then exit 0; fi
            cat -- "$c/\(copiedManifest)" 2>/dev/null || true
            """
        return "sudo -n /bin/bash -c \(Command.quoted(script)) goldfleet-read \(Command.quoted(target)) \(Command.quoted(stamp ?? ""))"
    }

    /// Reads `RootCopyPlan.records()` on stdin; tar copies (one pass, files replaced, owner
    /// root, modes kept); the manifest is written last, so it exists only after a whole copy.
    static func copyCommand(staging: String, target: String, stamp: String?) -> String {
        let script = """
            set -euo pipefail
            s=$1; c=$2; stamp=$3
            [ -d "$c" ] || { echo "no directory $c" >&2; exit \(missingTarget); }
            rm -f -- "$c/\(copiedManifest)"
            mapfile -d '' records
            copies=(); removals=(); directories=()
            for record in "${records[@]}"; do
                case $record in
                    c*) copies+=("${record:1}") ;;
                    r*) removals+=("${record:1}") ;;
                    d*) directories+=("${record:1}") ;;
                esac
            done
            if [ ${#copies[@]} -gt 0 ]; then
                printf '%s\\0' "${copies[@]}" | tar -C "$s" --null --no-recursion -T - -cf - | tar -C "$c" --no-same-owner -xf -
            fi
            for path in "${removals[@]}"; do rm -f -- "$c/$path"; done
            for path in "${directories[@]}"; do rmdir -- "$c/$path" 2>/dev/null || true; done
            if [ -n "$stamp" ] && [ -f "$c/$stamp" ]; then cp -- "$c/$stamp" "$c/\(stampCopy)"; fi
            if [ -f "$s/\(copiedManifest)" ]; then
                cp -- "$s/\(copiedManifest)" "$c/\(copiedManifest).new" && mv -f -- "$c/\(copiedManifest).new" "$c/\(copiedManifest)"
            fi
            """
        return "sudo -n /bin/bash -c \(Command.quoted(script)) goldfleet-copy \(shellPath(staging)) \(Command.quoted(target)) \(Command.quoted(stamp ?? ""))"
    }

    private func rootCopyError(_ result: SSHExecResult, target: String, doing: String) -> SSHError {
        let stderr = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        if result.exitStatus == Self.missingTarget {
            return SSHError(host: options.host, step: .exec, code: .commandFailed,
                            message: "\(target) does not exist on \(options.host)",
                            hint: "the directory is made by whoever owns it (juju makes a unit's charm directory when it deploys the unit)")
        }
        if stderr.contains("sudo:") {
            return SSHError(host: options.host, step: .exec, code: .commandFailed,
                            message: "\(doing) \(target) on \(options.host) needs `sudo -n`, which failed: \(stderr)",
                            hint: "the login user needs passwordless sudo (`\(options.user) ALL=(ALL) NOPASSWD:ALL` in /etc/sudoers.d/), as juju's manual provider does")
        }
        return SSHError.commandFailed(host: options.host, command: "\(doing) \(target)", result: result)
    }
}
