import Foundation

/// The environment juju gives a hook (and a `juju exec` command) on a machine unit — the whole
/// environment, nothing inherited: juju sets the process's Env to exactly this list.
///
/// Read from juju/juju worker/uniter/runner/context/context.go `HookVars` and
/// worker/uniter/runner/context/env.go `OSDependentEnvVars`, worker/uniter/runner/runner.go
/// (`JUJU_DISPATCH_PATH=hooks/NAME` for every hook, `cmd.Env = env`, `cmd.Dir = charm dir`),
/// as stored from the fork DavinZhang/juju at 80e39615a456fe778696119c7ce56be189f9bf8e (the 2.9
/// line's uniter; the same variables at juju-2.9.21 and on branch 3.6). Left out: proxy values
/// (none set on this controller), meter status, relation/action/storage/secret variables (the
/// double runs no such hooks).
struct HookEnvironment {
    let unit: String
    let machineID: String
    let model: String
    let modelUUID: String
    let agentVersion: String
    /// `ubuntu` machines get the Ubuntu variables; any other Linux juju calls generic.
    let osName: String

    /// `unit-APP-N`, juju's tag for the unit.
    var unitTag: String { "unit-" + unit.replacingOccurrences(of: "/", with: "-") }
    var agentDirectory: String { "/var/lib/juju/agents/\(unitTag)" }
    var charmDirectory: String { "\(agentDirectory)/charm" }
    /// Where juju links the hook tools (jujuc) for the unit; first on PATH.
    var toolsDirectory: String { "/var/lib/juju/tools/\(unitTag)" }
    var logFile: String { "/var/log/juju/\(unitTag).log" }

    /// jujud runs under systemd, whose default PATH the hooks extend.
    static let agentPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// The action a `juju exec` command runs as: juju queues the commands as an action named
    /// `juju-exec` (3.x; `juju-run` on 2.9), one task per unit, and the uniter runs them in that
    /// action's context (runner.go runJujuExecAction; contextfactory.go ActionContext).
    struct Action {
        var name: String
        /// The task's id (names.ActionTag's id).
        var id: Int
    }

    /// The variables for hook `hook`, or for a `juju exec` command in `action`'s context (no
    /// hook name, no dispatch path).
    func variables(hook: String?, action: Action? = nil) -> [(String, String)] {
        var vars: [(String, String)] = [
            ("CHARM_DIR", charmDirectory),  // "legacy, embarrassing" (context.go)
            ("JUJU_CHARM_DIR", charmDirectory),
            // contextfactory.go newId: "<unit>-<hook or action name>-<random>".
            ("JUJU_CONTEXT_ID", "\(unit)-\(hook ?? action?.name ?? "run-commands")-\(UInt64.random(in: 1...UInt64(Int64.max)))"),
            ("JUJU_HOOK_NAME", hook ?? ""),
            ("JUJU_AGENT_SOCKET_ADDRESS", "\(agentDirectory)/agent.socket"),
            ("JUJU_AGENT_SOCKET_NETWORK", "unix"),
            ("JUJU_UNIT_NAME", unit),
            ("JUJU_MODEL_UUID", modelUUID),
            ("JUJU_MODEL_NAME", model),
            ("JUJU_API_ADDRESSES", ""),
            ("JUJU_SLA", "unsupported"),
            ("JUJU_MACHINE_ID", machineID),
            ("JUJU_PRINCIPAL_UNIT", ""),
            ("JUJU_AVAILABILITY_ZONE", ""),
            ("JUJU_VERSION", agentVersion),
            ("CLOUD_API_VERSION", ""),
            ("JUJU_CHARM_HTTP_PROXY", ""),
            ("JUJU_CHARM_HTTPS_PROXY", ""),
            ("JUJU_CHARM_FTP_PROXY", ""),
            ("JUJU_CHARM_NO_PROXY", ""),
        ]
        // context.go HookVars: an action context adds its name, id and tag.
        if let action {
            vars += [("JUJU_ACTION_NAME", action.name), ("JUJU_ACTION_UUID", String(action.id)), ("JUJU_ACTION_TAG", "action-\(action.id)")]
        }
        let path = ("PATH", "\(toolsDirectory):\(Self.agentPath)")
        if osName == "ubuntu" {
            vars += [("APT_LISTCHANGES_FRONTEND", "none"), ("DEBIAN_FRONTEND", "noninteractive"),
                     ("LANG", "C.UTF-8"), path, ("TERM", "tmux-256color")]
        } else {
            vars += [("LANG", "C.UTF-8"), path, ("TERM", "screen")]
        }
        if let hook { vars.append(("JUJU_DISPATCH_PATH", "hooks/\(hook)")) }
        return vars
    }

    /// `env -i K=V …`: the hook's environment and nothing else, quoted for the remote shell.
    func envCommand(hook: String?, action: Action? = nil) -> String {
        "env -i " + variables(hook: hook, action: action).map { ManualProvisioner.shellQuoted("\($0.0)=\($0.1)") }.joined(separator: " ")
    }
}
