import Foundation

/// Renders model state in the shapes juju 3.x prints with `--format=json` (2.9: `series`
/// instead of `base`), following the real samples in the repository's fixtures.
extension JujuDouble {
    func statusBlock(_ current: String, since date: Date, message: String? = nil, version: String? = nil) -> [String: Any] {
        var block: [String: Any] = ["current": current, "since": since(date)]
        if let message { block["message"] = message }
        if let version { block["version"] = version }
        return block
    }

    func machineJSON(_ machine: MachineRecord) -> [String: Any] {
        let started = machine.agentStatus == "started"
        var json: [String: Any] = [
            "juju-status": statusBlock(machine.agentStatus, since: machine.since, version: started ? agentVersion : nil),
            "instance-id": machine.instanceID,
            "machine-status": machine.host != nil
                ? statusBlock(started ? "running" : "pending", since: machine.since, message: started ? "Manually provisioned machine" : nil)
                : statusBlock("pending", since: machine.since),
            "modification-status": statusBlock("idle", since: machine.since),
        ]
        if major >= 3 {
            json["base"] = ["name": machine.osName, "channel": machine.osChannel]
        } else {
            json["series"] = machine.series
        }
        if let host = machine.host { json["dns-name"] = host }
        if !machine.addresses.isEmpty { json["ip-addresses"] = machine.addresses }
        if let hostname = machine.hostname { json["hostname"] = hostname }
        if machine.host != nil {
            json["hardware"] = "arch=\(machine.architecture) cores=\(machine.cores) mem=\(machine.memoryMB)M"
        }
        if !machine.containers.isEmpty { json["containers"] = machine.containers.mapValues(machineJSON) }
        return json
    }

    func machinesJSON(_ state: ModelState) -> [String: Any] { state.machines.mapValues(machineJSON) }

    func machinesTable(_ state: ModelState) -> String {
        func rows(_ machine: MachineRecord) -> [[String]] {
            let os = major >= 3 ? "\(machine.osName)@\(machine.osChannel)" : machine.series
            return [[machine.id, machine.agentStatus, machine.host ?? "", machine.instanceID, os, "", machine.agentStatus == "started" ? "Manually provisioned machine" : ""]]
                + machine.containers.values.sorted { $0.id < $1.id }.flatMap(rows)
        }
        let header = ["Machine", "State", "Address", "Inst id", major >= 3 ? "Base" : "Series", "AZ", "Message"]
        let body = state.machines.values.sorted { (Int($0.id) ?? 0) < (Int($1.id) ?? 0) }.flatMap(rows)
        return Self.table([header] + body)
    }

    static func table(_ rows: [[String]]) -> String {
        guard let columns = rows.first?.count else { return "" }
        let widths = (0..<columns).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { $1.padding(toLength: widths[$0] + 2, withPad: " ", startingAt: 0) }.joined()
                .replacingOccurrences(of: #"\s+$"#, with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
    }

    /// A unit's statuses: units on a started machine look settled (no charm really runs);
    /// units without a machine, or on a container the double never starts, wait for it.
    func unitJSON(_ unit: UnitRecord, leader: Bool, state: ModelState) -> [String: Any] {
        let machine = unit.machine.flatMap { state.machine($0) }
        let ready = machine?.agentStatus == "started"
        var json: [String: Any] = [
            "workload-status": ready ? statusBlock("active", since: unit.since)
                                     : statusBlock("waiting", since: unit.since, message: "waiting for machine"),
            "juju-status": ready ? statusBlock("idle", since: unit.since, version: agentVersion)
                                 : statusBlock("allocating", since: unit.since),
            "leader": leader,
        ]
        if let id = unit.machine { json["machine"] = id }
        if let host = machine?.host { json["public-address"] = host }
        return json
    }

    func applicationJSON(_ app: ApplicationRecord, state: ModelState) -> [String: Any] {
        var json: [String: Any] = [
            "charm": app.charm, "charm-origin": app.charmOrigin, "charm-name": app.charm, "charm-rev": app.revision,
            "exposed": false,
        ]
        if let channel = app.channel { json["charm-channel"] = channel }
        if major >= 3 { json["base"] = ["name": app.osName, "channel": app.osChannel] } else { json["series"] = app.series }
        var units: [String: Any] = [:]
        for (index, unit) in app.units.enumerated() { units[unit.name] = unitJSON(unit, leader: index == 0, state: state) }
        if !units.isEmpty { json["units"] = units }
        let waiting = app.units.contains { unit in unit.machine.flatMap { state.machine($0) }?.agentStatus != "started" }
        json["application-status"] = app.units.isEmpty
            ? statusBlock("unknown", since: app.since)
            : waiting ? statusBlock("waiting", since: app.since, message: "waiting for machine") : statusBlock("active", since: app.since)
        var relations: [String: [[String: Any]]] = [:]
        for relation in state.relations {
            if relation.firstApplication == app.name {
                relations[relation.firstEndpoint, default: []].append(
                    ["related-application": relation.secondApplication, "interface": relation.secondEndpoint, "scope": "global"])
            }
            if relation.secondApplication == app.name {
                relations[relation.secondEndpoint, default: []].append(
                    ["related-application": relation.firstApplication, "interface": relation.firstEndpoint, "scope": "global"])
            }
        }
        if !relations.isEmpty { json["relations"] = relations }
        return json
    }

    /// `juju status [-m MODEL] [--format json|tabular] [PATTERN…]` (patterns are ignored).
    func statusCommand(_ arguments: [String]) throws {
        let flags = try FlagSpec(valued: [Self.modelFlag, Self.formatFlag],
                                 boolean: [["--utc"], ["--color"], ["--no-color"], ["--relations"], ["--storage"], ["--integrations"]]).parse(arguments)
        let model = try modelName(flags)
        let format = try format(flags, default: "tabular")
        let state = try store.locked { try store.load(model) }
        if format == "json" {
            try printJSON([
                "model": [
                    "name": model, "type": "iaas", "controller": Self.controllerName, "cloud": "manual", "region": "default",
                    "version": agentVersion, "model-status": statusBlock("available", since: state.created), "sla": "unsupported",
                ] as [String: Any],
                "machines": machinesJSON(state),
                "applications": state.applications.mapValues { applicationJSON($0, state: state) },
                "storage": [String: Any](),
                "controller": ["timestamp": Self.timestamp(Date(), format: "HH:mm:ss'Z'")],
            ])
        } else {
            var text = Self.table([["Model", "Controller", "Cloud/Region", "Version"],
                                   [model, Self.controllerName, "manual/default", agentVersion]])
            if !state.applications.isEmpty {
                var rows = [["App", "Charm", "Rev", "Units"]]
                for app in state.applications.values.sorted(by: { $0.name < $1.name }) {
                    rows.append([app.name, app.charm, String(app.revision), String(app.units.count)])
                }
                text += "\n" + Self.table(rows)
                var unitRows = [["Unit", "Machine", "Public address"]]
                for app in state.applications.values.sorted(by: { $0.name < $1.name }) {
                    for unit in app.units {
                        unitRows.append([unit.name, unit.machine ?? "", unit.machine.flatMap { state.machine($0)?.host } ?? ""])
                    }
                }
                text += "\n" + Self.table(unitRows)
            }
            text += "\n" + machinesTable(state)
            write(text)
        }
    }
}
