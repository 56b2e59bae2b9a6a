import Foundation

/// Runs the unit agents of a local charm's units (deploy, add-unit, refresh) and records what
/// their hooks did. The units of one command run in parallel, like the agents of separate
/// machines; the command returns when every one is idle or in error (real juju returns at once
/// and the agents work on: here `status` is settled when the command returns).
///
/// The hooks juju's uniter runs, in its order (worker/uniter/resolver.go nextOp,
/// leadership/resolver.go, operation/runhook.go Commit; DavinZhang/juju 80e39615):
/// - a new unit: `install`; then `leader-elected` on the leader, `leader-settings-changed` on
///   the others; `config-changed`; and `start`, which config-changed queues on a unit not yet started;
/// - after a refresh: `upgrade-charm`, then the `config-changed` it queues (and `start` if the
///   unit never started).
enum AgentPlan {
    case newUnit
    case upgrade

    func hooks(leader: Bool, started: Bool) -> [String] {
        switch self {
        case .newUnit: ["install", leader ? "leader-elected" : "leader-settings-changed", "config-changed", "start"]
        case .upgrade: ["upgrade-charm", "config-changed"] + (started ? [] : ["start"])
        }
    }
}

extension JujuDouble {
    /// Copies the application's local charm to `units` and runs `plan` on each. Units whose
    /// machine has no started agent (pending, or a container the double never starts) wait, as
    /// with juju.
    func runUnitAgents(model: String, application: String, units: [String], plan: AgentPlan) throws {
        struct Job { var unit: String; var environment: HookEnvironment; var host: String; var hooks: [String] }
        let (jobs, charmPath, charmURL) = try store.update(model) { state -> ([Job], String?, String) in
            guard let app = state.applications[application], let path = app.charmPath else { return ([], nil, "") }
            var jobs: [Job] = []
            for (index, unit) in app.units.enumerated() where units.contains(unit.name) {
                guard let machineID = unit.machine, let machine = state.machine(machineID), machine.agentStatus == "started",
                      let host = machine.host else { continue }
                var agent = unit.agent ?? UnitAgentState(charmRevision: app.revision)
                let hooks = plan.hooks(leader: index == 0, started: agent.started)
                agent.agentStatus = "executing"
                agent.agentMessage = "running \(hooks[0]) hook"
                if hooks[0] == "install" {  // runhook.go beforeHook
                    agent.workloadStatus = "maintenance"
                    agent.workloadMessage = "installing charm software"
                }
                agent.since = Date()
                state.applications[application]?.units[index].agent = agent
                jobs.append(Job(unit: unit.name, environment: HookEnvironment(
                    unit: unit.name, machineID: machineID, model: model, modelUUID: state.uuid,
                    agentVersion: agentVersion, osName: machine.osName), host: host, hooks: hooks))
            }
            return (jobs, path, "local:\(app.charm)-\(app.revision)")
        }
        guard let charmPath, !jobs.isEmpty else { return }
        let charm = try UnitAgent.archive(charmPath: charmPath)

        nonisolated(unsafe) var outcomes = [Result<UnitAgent.Outcome, Error>?](repeating: nil, count: jobs.count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            let job = jobs[index]
            let ssh = ManualProvisioner(host: job.host, login: nil, privateKey: clientKeyPath, knownHosts: knownHostsPath, major: major,
                                        sessionLog: environment["JUJU_DOUBLE_SSH_LOG"].flatMap { $0.isEmpty ? nil : $0 })
            let result = Result { try UnitAgent(hookEnvironment: job.environment, ssh: ssh).run(charm: charm, charmURL: charmURL, hooks: job.hooks) }
            lock.withLock { outcomes[index] = result }
        }
        try store.update(model) { state in
            guard let app = state.applications[application] else { return }
            for (job, outcome) in zip(jobs, outcomes) {
                guard let index = app.units.firstIndex(where: { $0.name == job.unit }),
                      var agent = state.applications[application]?.units[index].agent else { continue }
                agent.since = Date()
                switch outcome {
                case .success(let outcome)?:
                    Self.record(outcome, revision: app.revision, on: &agent)
                case .failure(let error)?:
                    // juju's agent would be unreachable: "lost" (core/status).
                    agent.agentStatus = "lost"
                    agent.agentMessage = "agent is not communicating with the server: \((error as? Failure)?.message ?? "\(error)")"
                case nil:
                    break
                }
                state.applications[application]?.units[index].agent = agent
            }
        }
    }

    /// A unit's state after its hooks ran: installed/started as juju's Commit records them, the
    /// failed hook as the agent's error, `unknown` after a start hook that set no status
    /// (runhook.go afterHook).
    static func record(_ outcome: UnitAgent.Outcome, revision: Int, on agent: inout UnitAgentState) {
        var runs = outcome.hooks
        if !runs.isEmpty { runs[runs.count - 1].endsRun = true }
        agent.hooks += runs
        // The unit runs the new charm once it is in place (operation/deploy.go), hooks or not.
        agent.charmRevision = revision
        for run in outcome.hooks where run.exitCode == 0 {
            switch run.name {
            case "install": agent.installed = true
            case "start":
                agent.started = true
                agent.workloadStatus = "unknown"
                agent.workloadMessage = nil
            default: break
            }
        }
        if let failed = outcome.failedHook {
            agent.agentStatus = "error"
            agent.agentMessage = "hook failed: \"\(failed)\""
            agent.failedHook = failed
        } else {
            agent.agentStatus = "idle"
            agent.agentMessage = nil
            agent.failedHook = nil
        }
    }
}
