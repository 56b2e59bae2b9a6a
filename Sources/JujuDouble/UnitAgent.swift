import Foundation

/// The unit agent of one unit of a LOCAL charm, made real: it puts the charm where juju's
/// uniter deploys it (`/var/lib/juju/agents/unit-APP-N/charm`, with `.juju-charm` naming the
/// charm URL) and runs the charm's hooks there as root, one after the other, in one OpenSSH
/// session as juju's manual provider reaches the machine (ubuntu + sudo, key auth only).
///
/// How juju finds and runs a hook (worker/uniter/runner/runner.go, DavinZhang/juju
/// 80e39615a456fe778696119c7ce56be189f9bf8e): a `dispatch` file at the charm's root wins and
/// runs for every hook with `JUJU_DISPATCH_PATH=hooks/NAME`; otherwise `hooks/NAME`; with
/// neither the hook is skipped as missing (operation/runhook.go). The process gets exactly the
/// hook environment (HookEnvironment), the charm directory as its working directory and no
/// stdin; its output goes to the unit's log (`/var/log/juju/unit-APP-N.log`, with the uniter's
/// `ran "X" hook (via …)` / `hook "X" (via …) failed: exit status N` lines). The first
/// hook that exits non-zero stops the unit: juju runs nothing more until the error is resolved.
struct UnitAgent {
    let hookEnvironment: HookEnvironment
    /// OpenSSH to the unit's machine, set up as for the manual provider's sessions.
    let ssh: ManualProvisioner

    /// What one session did: each hook that ran (or was skipped), in order; the first failure ends it.
    struct Outcome {
        var hooks: [HookRun]
        var charmSeconds: Double
        var failedHook: String? { hooks.last.flatMap { $0.exitCode == 0 ? nil : $0.name } }
    }

    /// The last lines of a hook's output the double keeps (the whole output is in the unit's log).
    static let keptLines = 20
    private static let marker = "@@goldfleet-double"

    /// Puts `charm` (base64 of a tar.gz, nil to keep the deployed one) in place as `charmURL`,
    /// then runs `hooks` in order until one fails.
    func run(charm: String?, charmURL: String, hooks: [String]) throws -> Outcome {
        let result = try ssh.ssh("sudo -n /bin/bash -s", input: script(charm: charm, charmURL: charmURL, hooks: hooks))
        var outcome = Outcome(hooks: [], charmSeconds: 0)
        var output: [String] = []
        for line in result.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("| ") {
                output.append(String(line.dropFirst(2)))
            } else if line.hasPrefix(Self.marker + " charm ") {
                outcome.charmSeconds = (Double(line.split(separator: " ").last ?? "") ?? 0) / 1000
            } else if line.hasPrefix(Self.marker + " hook ") {
                let fields = line.split(separator: " ").map(String.init)  // marker hook NAME HANDLER RC MS START-MS
                guard fields.count == 7 else { continue }
                outcome.hooks.append(HookRun(name: fields[2], handler: fields[3], exitCode: Int32(fields[4]) ?? 1,
                                             seconds: (Double(fields[5]) ?? 0) / 1000,
                                             started: Date(timeIntervalSince1970: (Double(fields[6]) ?? 0) / 1000),
                                             output: Array(output.suffix(Self.keptLines))))
                output = []
            }
        }
        let ranAll = outcome.hooks.count == hooks.count || outcome.failedHook != nil
        guard result.exitCode == 0, ranAll else {
            throw ManualProvisioner.failure(result, annotation: "running the unit agent of \(hookEnvironment.unit) on \(ssh.host)")
        }
        return outcome
    }

    /// The remote script (bash, as root).
    func script(charm: String?, charmURL: String, hooks: [String]) -> String {
        let env = hookEnvironment
        let q = ManualProvisioner.shellQuoted
        var lines = [
            "set -u",
            "agent=\(q(env.agentDirectory)); c=\(q(env.charmDirectory)); log=\(q(env.logFile)); unit=\(q(env.unit))",
            "mkdir -p \"$agent\" \(q(env.toolsDirectory)) /var/log/juju",
            "ms() { echo $(( $(date +%s%N) / 1000000 )); }",
        ]
        if let charm {
            lines += [
                "t0=$(ms)",
                "rm -rf \"$agent/charm.new\" && mkdir \"$agent/charm.new\" || exit 1",
                "base64 -d <<'GOLDFLEET_CHARM' | tar --no-same-owner -xzf - -C \"$agent/charm.new\" || exit 1",
                charm,
                "GOLDFLEET_CHARM",
                "printf '%s\\n' \(q(charmURL)) > \"$agent/charm.new/.juju-charm\"",
                "rm -rf \"$c\" && mv \"$agent/charm.new\" \"$c\" || exit 1",
                "echo \"\(Self.marker) charm $(( $(ms) - t0 ))\"",
            ]
        }
        lines.append("""
            run_hook() {
                local name=$1; shift
                local handler script
                local via
                if [ -e "$c/dispatch" ]; then handler=dispatch; script="$c/dispatch"; via="hook dispatching script: dispatch"
                elif [ -e "$c/hooks/$name" ]; then handler=explicit; script="$c/hooks/$name"; via="explicit, bespoke hook script"
                else echo "\(Self.marker) hook $name missing 0 0 $(ms)"; return 0; fi
                local t0 out rc ts
                t0=$(ms)
                out=$(cd "$c" && "$@" "$script" </dev/null 2>&1); rc=$?
                ts=$(date -u '+%F %T')
                if [ -n "$out" ]; then
                    printf '%s\\n' "$out" | sed "s#^#$ts DEBUG unit.$unit.$name #" >> "$log"
                    printf '%s\\n' "$out" | sed 's/^/| /'
                fi
                if [ $rc -eq 0 ]; then
                    echo "$ts INFO juju.worker.uniter.operation ran \\"$name\\" hook (via $via)" >> "$log"
                else
                    echo "$ts ERROR juju.worker.uniter.operation hook \\"$name\\" (via $via) failed: exit status $rc" >> "$log"
                fi
                echo "\(Self.marker) hook $name $handler $rc $(( $(ms) - t0 )) $t0"
                return $rc
            }
            """)
        for hook in hooks {
            lines.append("run_hook \(q(hook)) \(env.envCommand(hook: hook)) || exit 0")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A local charm as the base64 of a tar.gz of its files (`.git` left out): a directory as
    /// it is, a `.charm` (zip) unpacked first.
    static func archive(charmPath: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: charmPath, isDirectory: &isDirectory) else {
            throw Failure.failed("charm or bundle at \"\(charmPath)\": file does not exist")
        }
        let script = isDirectory.boolValue
            ? "tar -C \"$1\" --exclude=.git -czf - . | base64"
            : "d=$(mktemp -d) && trap 'rm -rf \"$d\"' EXIT && unzip -q \"$1\" -d \"$d\" && tar -C \"$d\" -czf - . | base64"
        let result = try capture("/bin/bash", ["-o", "pipefail", "-c", script, "archive", charmPath])
        guard result.exitCode == 0 else {
            throw Failure.failed("cannot read local charm \(charmPath): \(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
