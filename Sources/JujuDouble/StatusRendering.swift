import Foundation

/// Renders model state in the shapes juju prints with `--format=json`, per line: read from
/// cmd/juju/status/formatted.go and formatter.go of juju-2.9.21 (8a154b7d629f6d9c0693aba7accf255789996c14)
/// and branch 3.6 (1c91c54fafcd8546dacb4254242ab0ae08ac9128); fixtures in
/// Tests/TestSupport/Fixtures/juju/2.9 and 3.6. 2.9: `series` (and `os` for
/// applications), `relations: {"ep": ["app"]}`; 3.x: `base: {name, channel}`,
/// `relations: {"ep": [{"related-application", "interface", "scope"}]}`.
extension JujuDouble {
    func statusBlock(_ current: String, since date: Date, message: String? = nil, version: String? = nil) -> [String: Any] {
        var block: [String: Any] = ["current": current, "since": since(date)]
        if let message { block["message"] = message }
        if let version { block["version"] = version }
        return block
    }

    func machineJSON(_ machine: MachineRecord) -> [String: Any] {
        let started = machine.agentStatus == "started"
        let machineStatus: [String: Any]
        if let error = machine.provisioningError {
            machineStatus = statusBlock("provisioning error", since: machine.since, message: error)
        } else if machine.host != nil {
            machineStatus = statusBlock(started ? "running" : "pending", since: machine.since, message: started ? "Manually provisioned machine" : nil)
        } else {
            machineStatus = statusBlock("pending", since: machine.since)
        }
        var json: [String: Any] = [
            "juju-status": statusBlock(machine.agentStatus, since: machine.since, version: started ? agentVersion : nil),
            "instance-id": machine.instanceID,
            "machine-status": machineStatus,
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
    func unitJSON(_ unit: UnitRecord, leader: Bool, state: ModelState, subordinates: [String: Any] = [:]) -> [String: Any] {
        let machine = unit.machine.flatMap { state.machine($0) }
        let ready = machine?.agentStatus == "started"
        var json: [String: Any] = [
            "workload-status": ready ? statusBlock("active", since: unit.since)
                                     : statusBlock("waiting", since: unit.since, message: "waiting for machine"),
            "juju-status": ready ? statusBlock("idle", since: unit.since, version: agentVersion)
                                 : statusBlock("allocating", since: unit.since),
            "leader": leader,
        ]
        // A local charm's unit shows what its hooks really did (UnitAgentState).
        if let agent = unit.agent {
            let (workload, workloadMessage) = agent.shownWorkload
            let (jujuStatus, jujuMessage) = agent.shownAgent
            json["workload-status"] = statusBlock(workload, since: agent.since, message: workloadMessage)
            json["juju-status"] = statusBlock(jujuStatus, since: agent.since, message: jujuMessage, version: agentVersion)
        }
        if let id = unit.machine { json["machine"] = id }
        if let host = machine?.host { json["public-address"] = host }
        if !subordinates.isEmpty { json["subordinates"] = subordinates }
        return json
    }

    /// An application's status from its units' workload statuses when the charm sets none: the
    /// most severe wins (core/status/status.go DeriveStatus and its severity table).
    static func derivedStatus(_ statuses: [(current: String, message: String?)]) -> (current: String, message: String?)? {
        let severity = ["error": 100, "blocked": 90, "maintenance": 80, "waiting": 70, "active": 60, "terminated": 50, "unknown": 40]
        return statuses.max { severity[$0.current, default: 0] < severity[$1.current, default: 0] }
    }

    /// Subordinate units appear under each unit of a principal they are related to, numbered
    /// per subordinate application in principal-unit order.
    func subordinateUnits(_ state: ModelState) -> [String: [String: Any]] {
        var byPrincipalUnit: [String: [String: Any]] = [:]
        var next: [String: Int] = [:]
        for principal in state.applications.values.sorted(by: { $0.name < $1.name }) where principal.subordinate != true {
            for unit in principal.units {
                for sub in subordinatesRelated(to: principal.name, state: state) {
                    let number = next[sub.name, default: 0]
                    next[sub.name] = number + 1
                    var json = unitJSON(UnitRecord(name: "\(sub.name)/\(number)", machine: unit.machine, since: sub.since),
                                        leader: number == 0, state: state)
                    json["machine"] = nil
                    byPrincipalUnit[unit.name, default: [:]]["\(sub.name)/\(number)"] = json
                }
            }
        }
        return byPrincipalUnit
    }

    func subordinatesRelated(to principal: String, state: ModelState) -> [ApplicationRecord] {
        state.relations.compactMap { relation -> String? in
            if relation.firstApplication == principal { return relation.secondApplication }
            if relation.secondApplication == principal { return relation.firstApplication }
            return nil
        }.compactMap { state.applications[$0] }.filter { $0.subordinate == true }.sorted { $0.name < $1.name }
    }

    func applicationJSON(_ app: ApplicationRecord, state: ModelState, subordinates: [String: [String: Any]]) -> [String: Any] {
        var json: [String: Any] = [
            "charm": app.charm, "charm-origin": app.charmOrigin, "charm-name": app.charm, "charm-rev": app.revision,
            "exposed": app.exposed ?? false,
        ]
        if let channel = app.channel { json["charm-channel"] = channel }
        if major >= 3 {
            json["base"] = ["name": app.osName, "channel": app.osChannel]
        } else {
            // 2.9 writes both, without omitempty (formatted.go `Series`, `OS`).
            json["series"] = app.series
            json["os"] = app.osName
        }
        if app.subordinate == true {
            let principals = state.relations.compactMap { relation -> String? in
                relation.firstApplication == app.name ? relation.secondApplication
                    : relation.secondApplication == app.name ? relation.firstApplication : nil
            }.filter { state.applications[$0]?.subordinate != true }
            if !principals.isEmpty { json["subordinate-to"] = Array(Set(principals)).sorted() }
        }
        var units: [String: Any] = [:]
        for (index, unit) in app.units.enumerated() {
            var json = unitJSON(unit, leader: index == 0, state: state, subordinates: subordinates[unit.name] ?? [:])
            // A unit still on an older charm than its application's (formatted.go unitStatus.Charm).
            if let agent = unit.agent, agent.charmRevision != app.revision {
                json["upgrading-from"] = "local:\(app.charm)-\(agent.charmRevision)"
            }
            units[unit.name] = json
        }
        if !units.isEmpty { json["units"] = units }
        let waiting = app.units.contains { unit in unit.machine.flatMap { state.machine($0) }?.agentStatus != "started" }
        json["application-status"] = app.units.isEmpty
            ? statusBlock("unknown", since: app.since)
            : waiting ? statusBlock("waiting", since: app.since, message: "waiting for machine") : statusBlock("active", since: app.since)
        if let derived = Self.derivedStatus(app.units.compactMap { $0.agent?.shownWorkload }) {
            json["application-status"] = statusBlock(derived.current, since: app.since, message: derived.message)
        }
        // Endpoint → the other side. A relation with a subordinate is container-scoped; the
        // double has no charm metadata for interfaces, so it names the endpoint's own name
        // (right for the implicit `juju-info`).
        var relations: [String: [(application: String, interface: String, scope: String)]] = [:]
        for relation in state.relations {
            let scope = [relation.firstApplication, relation.secondApplication]
                .contains { state.applications[$0]?.subordinate == true } ? "container" : "global"
            if relation.firstApplication == app.name {
                relations[relation.firstEndpoint, default: []].append((relation.secondApplication, relation.firstEndpoint, scope))
            }
            if relation.secondApplication == app.name {
                relations[relation.secondEndpoint, default: []].append((relation.firstApplication, relation.secondEndpoint, scope))
            }
        }
        if !relations.isEmpty {
            if major >= 3 {
                json["relations"] = relations.mapValues { sides in
                    sides.map { ["related-application": $0.application, "interface": $0.interface, "scope": $0.scope] }
                }
            } else {
                json["relations"] = relations.mapValues { sides in sides.map(\.application) }
            }
        }
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
                "applications": state.applications.mapValues { [subordinates = subordinateUnits(state)] in
                    applicationJSON($0, state: state, subordinates: subordinates)
                },
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
