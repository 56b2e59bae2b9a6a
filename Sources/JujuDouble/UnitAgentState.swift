import Foundation

/// What the unit agent of a local-charm unit did on its machine, as juju's uniter records it
/// (worker/uniter/operation/state.go: Installed, Started; the failed hook) and as `status`
/// shows it.
struct UnitAgentState: Codable {
    var installed = false
    var started = false
    /// The agent's status: `executing` (with "running X hook"), `idle`, or `error` with
    /// `hook failed: "X"` (uniter.go reportHookError).
    var agentStatus = "allocating"
    var agentMessage: String? = nil
    /// The workload status a hook left, or juju's own around install/start (runhook.go
    /// beforeHook/afterHook): `maintenance` "installing charm software" before install,
    /// `unknown` after a start hook that set none.
    var workloadStatus = "waiting"
    var workloadMessage: String? = "agent initialising"
    /// The hook that failed, if the unit is in error (juju then runs nothing else until the
    /// error is resolved or a refresh is forced).
    var failedHook: String? = nil
    /// Local charm revision the unit runs (`local:NAME-REV`).
    var charmRevision = 0
    /// Every hook the double ran (or skipped, when the charm has no handler) on this unit, in order.
    var hooks: [HookRun] = []
    var since = Date()

    /// Workload and agent status as juju's status shows them: a hook error is recorded on the
    /// agent but shown as the workload's status, the agent then reads `idle`
    /// (state/unit.go Unit.Status and state/unitagent.go UnitAgent.Status).
    var shownWorkload: (current: String, message: String?) {
        agentStatus == "error" ? ("error", agentMessage) : (workloadStatus, workloadMessage)
    }
    var shownAgent: (current: String, message: String?) {
        agentStatus == "error" ? ("idle", nil) : (agentStatus, agentMessage)
    }
}

/// One hook run on a unit: its name, how juju found it (`dispatch`, `explicit`, or `missing`
/// — skipped), its exit status, when it started, seconds it took and the last lines of its output.
struct HookRun: Codable {
    var name: String
    var handler: String
    var exitCode: Int32
    var seconds: Double
    /// When it started, by the machine's clock.
    var started: Date
    var output: [String]
    /// True on the last hook of a command's run: the agent went idle (or into error) after it.
    var endsRun: Bool? = nil
}
