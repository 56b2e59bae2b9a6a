import Foundation
import GoldfleetSupport
import Inventory
import JujuKit

/// What one `goldfleet cycle` did to each unit: the phases it measured, the total from the
/// start of the cycle until the unit had run the new charm, and on a failed hook its name and
/// the unit's last log lines.
public struct CycleReport: Sendable, JSONReport {
    public struct Phase: Sendable, Encodable, Equatable {
        public var name: String
        public var seconds: Double
    }

    public struct Unit: Sendable, Encodable {
        public var name: String
        public var phases: [Phase]
        public var total: Double
        public var failedHook: String?
        public var lastLines: [String]
    }

    public var mode: String
    public var units: [Unit]
    public var succeeded: Bool { units.allSatisfy { $0.failedHook == nil } }
}

extension Orchestrator {
    /// `goldfleet cycle FILE [APP…] --refresh` (issue 17): `juju refresh APP --path CHARM` for
    /// each local-charm application (all of them when none is named), then waits until every
    /// unit ran the new charm's `upgrade-charm` and `config-changed` hooks or one failed, reading
    /// only what juju shows: `status` (a unit still `upgrading-from` the old charm, its agent
    /// `idle`, a workload `error` "hook failed: …"), `show-status-log` for each hook's time and
    /// `debug-log` for a failed hook's output.
    public func cycleRefresh(_ inventory: Inventory, applications names: [String],
                             pollInterval: Duration = .milliseconds(200)) async throws -> CycleReport {
        let applications = try Self.localApplications(inventory, named: names)
        let start = clock.now()
        var uploaded: [String: Double] = [:]
        for app in applications {
            let before = clock.now()
            try await juju.refresh(app.name, path: app.charm)
            uploaded[app.name] = (clock.now() - before).seconds
        }

        let units = try await settle(applications.map(\.name), since: start, hooks: "upgrade-charm", requireUnits: false, pollInterval: pollInterval)

        var report = CycleReport(mode: "refresh", units: [])
        for (application, unit, total) in units {
            var phases = [CycleReport.Phase(name: "charm uploaded", seconds: uploaded[application] ?? 0)]
            let log = try await juju.agentStatusLog(unit: unit.name, entries: 50)
            phases += Self.hookPhases(log, from: "upgrade-charm")
            let failed = Self.failedHook(unit)
            var lines: [String] = []
            if failed != nil { lines = try await juju.debugLog(unit: unit.name, lines: 20) }
            report.units.append(CycleReport.Unit(name: unit.name, phases: phases, total: total,
                                                 failedHook: failed, lastLines: lines))
        }
        return report
    }

    /// The inventory's local-charm applications, or the named ones (each must be local).
    static func localApplications(_ inventory: Inventory, named names: [String]) throws -> [ApplicationSpec] {
        let local = inventory.juju.applications.filter { LocalCharm.isPath($0.charm) }
        guard !names.isEmpty else {
            guard !local.isEmpty else {
                throw OrchestratorError("the inventory has no local charm to cycle",
                                        hint: "give an application `charm: ./path/to/charm` (a directory or .charm file)")
            }
            return local
        }
        return try names.map { name in
            guard let app = inventory.juju.applications.first(where: { $0.name == name }) else {
                throw OrchestratorError("no application `\(name)` in the inventory",
                                        hint: "applications: \(inventory.juju.applications.map(\.name).joined(separator: ", "))")
            }
            guard LocalCharm.isPath(app.charm) else {
                throw OrchestratorError("application `\(name)` deploys `\(app.charm)` from Charmhub: only a local charm can be cycled",
                                        hint: "set `charm: ./path/to/charm` for it in the inventory")
            }
            return app
        }
    }

    /// Done with the refresh: on the new charm and idle, or stopped by a failed hook.
    static func ranNewCharm(_ unit: JujuUnit) -> Bool {
        failedHook(unit) != nil || (unit.upgradingFrom == nil && unit.agentStatus?.current == "idle")
    }

    /// `upgrade-charm` from a workload status `error` "hook failed: \"upgrade-charm\"".
    static func failedHook(_ unit: JujuUnit) -> String? {
        guard unit.workloadStatus?.current == "error", let message = unit.workloadStatus?.message,
              message.hasPrefix("hook failed: ") else { return nil }
        return message.split(separator: "\"").dropFirst().first.map(String.init) ?? message
    }

    /// Each hook of the agent's latest run that began with `first`: from its `executing`
    /// "running X hook" entry to the entry after it. (Anchored on the hook, not on a time: the
    /// history carries the machine's clock.)
    static func hookPhases(_ log: [JujuStatusLogEntry], from first: String) -> [CycleReport.Phase] {
        guard let begin = log.lastIndex(where: { $0.status == "executing" && $0.message == "running \(first) hook" }) else { return [] }
        let recent = Array(log[begin...])
        var phases: [CycleReport.Phase] = []
        for (index, entry) in recent.enumerated() where entry.status == "executing" {
            guard let message = entry.message, message.hasPrefix("running "), message.hasSuffix(" hook"),
                  let start = entry.date, index + 1 < recent.count, let end = recent[index + 1].date else { continue }
            let hook = String(message.dropFirst("running ".count).dropLast(" hook".count))
            phases.append(CycleReport.Phase(name: "\(hook) hook", seconds: max(0, end.timeIntervalSince(start))))
        }
        return phases
    }
}
