import Foundation

extension JujuDouble {
    /// `juju show-status-log UNIT [--type unit|juju-unit|workload] [-n N] [--format json|tabular]`
    /// for units of a local charm: the history the uniter leaves while it runs hooks — the agent
    /// `executing` "running X hook" as each starts (operation/runhook.go SetExecutingStatus, also
    /// for hooks the charm lacks), `idle` or `error` "hook failed: \"X\"" when a run ends, and the
    /// workload's `maintenance` "installing charm software" / `unknown` around install and start.
    /// Shapes from cmd/juju/status/history.go (branch 3.6): a JSON list of
    /// `{"status", "message", "since", "type"}`, oldest first, the last N (default 20).
    func statusLogCommand(_ arguments: [String]) throws {
        let flags = try FlagSpec(valued: [Self.modelFlag, Self.formatFlag, ["--type"], ["-n"], ["--days"], ["--from-date"]],
                                 boolean: [["--utc"]]).parse(arguments)
        guard let name = flags.positional.first else { throw Failure.failed("entity name is missing.") }
        guard flags.positional.count == 1 else { throw Failure.failed("unexpected arguments after entity name.") }
        let kind = flags.value("--type") ?? "unit"
        guard ["unit", "juju-unit", "workload"].contains(kind) else {
            throw Failure.failed("the Juju double keeps status history for units only (--type unit, juju-unit or workload)")
        }
        let model = try modelName(flags)
        let state = try store.locked { try store.load(model) }
        let appName = String(name.split(separator: "/").first ?? "")
        guard let unit = state.applications[appName]?.units.first(where: { $0.name == name }) else {
            throw Failure.failed("unit \"\(name)\" not found")
        }
        var entries: [(type: String, status: String, message: String?, since: Date)] = []
        for run in unit.agent?.hooks ?? [] {
            entries.append(("juju-unit", "executing", "running \(run.name) hook", run.started))
            let end = run.started.addingTimeInterval(run.seconds)
            if run.name == "install" { entries.append(("workload", "maintenance", "installing charm software", run.started)) }
            if run.name == "start", run.exitCode == 0 { entries.append(("workload", "unknown", nil, end)) }
            if run.exitCode != 0 {
                entries.append(("juju-unit", "error", "hook failed: \"\(run.name)\"", end))
            } else if run.endsRun == true {
                entries.append(("juju-unit", "idle", nil, end))
            }
        }
        let count = Int(flags.value("-n") ?? "") ?? 20
        let shown = entries.filter { kind == "unit" || $0.type == kind }.suffix(count)
        guard !shown.isEmpty else { throw Failure.failed("no status history available") }
        if try format(flags, default: "tabular") == "json" {
            try printJSON(shown.map { entry -> [String: Any] in
                var json: [String: Any] = ["status": entry.status, "since": Self.rfc3339(entry.since), "type": entry.type]
                if let message = entry.message { json["message"] = message }
                return json
            })
        } else {
            write(Self.table([["Time", "Type", "Status", "Message"]] + shown.map {
                [Self.timestamp($0.since, format: "dd MMM yyyy HH:mm:ss'Z'"), $0.type, $0.status, $0.message ?? ""]
            }))
        }
    }

    /// Go's time.Time in JSON: RFC 3339 with the fraction of a second.
    static func rfc3339(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
