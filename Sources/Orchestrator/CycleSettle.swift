import JujuKit

extension Orchestrator {
    /// Polls `juju status` until every unit of `applications` ran the charm's hooks (the
    /// agent idle on the application's charm, `ranNewCharm`) or stopped on a failed hook.
    /// Returns each unit with the seconds from `start` until it settled; `hooks` names what
    /// is waited for in the timeout's message. With `requireUnits`, an application without
    /// units yet is waited for (a deploy's units may appear later).
    func settle(_ applications: [String], since start: Duration, hooks: String, requireUnits: Bool,
                pollInterval: Duration) async throws -> [(application: String, unit: JujuUnit, seconds: Double)] {
        var settledAt: [String: Double] = [:]
        let deadline = start + options.commandTimeout
        while true {
            let status = try await juju.status()
            let units = applications.flatMap { name in (status.application(name)?.units ?? []).map { (application: name, unit: $0) } }
            for (_, unit) in units where settledAt[unit.name] == nil && Self.ranNewCharm(unit) {
                settledAt[unit.name] = (clock.now() - start).seconds
            }
            let placed = !requireUnits || applications.allSatisfy { status.application($0)?.units.isEmpty == false }
            if placed, units.allSatisfy({ settledAt[$0.unit.name] != nil }) {
                return units.map { ($0.application, $0.unit, settledAt[$0.unit.name] ?? 0) }
            }
            guard clock.now() < deadline else {
                let waiting = units.filter { settledAt[$0.unit.name] == nil }.map(\.unit.name)
                    + (requireUnits ? applications.filter { status.application($0)?.units.isEmpty != false }.map { "\($0) (no units)" } : [])
                throw OrchestratorError("\(waiting.joined(separator: ", ")) did not finish \(hooks) within \(Int(options.commandTimeout.seconds))s",
                                        hint: "see `juju status` and `juju debug-log --include unit-…`; a unit in a hook error waits for `juju resolved` or `cycle` again")
            }
            try await Task.sleep(for: pollInterval)
        }
    }
}
