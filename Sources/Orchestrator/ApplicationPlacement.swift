import Inventory
import JujuKit

extension Orchestrator {
    /// After the machines: deploy each application onto its machines with `--to`, add the units
    /// an earlier run could not place, then relate. Converges: what juju already has is left as
    /// it is. Applications whose machines failed are placed on the machines that exist and
    /// reported as incomplete.
    func placeApplications(
        _ inventory: Inventory, machineIDs: [String: String], version: JujuVersion
    ) async -> ([UpReport.JujuAction], [UpReport.Failure]) {
        var actions: [UpReport.JujuAction] = []
        var failures: [UpReport.Failure] = []
        let settings = inventory.juju
        guard !settings.applications.isEmpty || !settings.relations.isEmpty else { return ([], []) }

        let status: JujuStatus
        do { status = try await juju.status() } catch {
            failures.append(.init(step: "juju status", message: MachineFailure.text(of: error), hint: MachineFailure.hint(for: error)))
            return (actions, failures)
        }

        func perform(_ command: String, _ body: () async throws -> Void) async {
            // Ctrl-C: the juju command in flight finishes, no new one starts, and the report
            // says what is missing (juju commands do not notice the task's cancellation).
            guard !Task.isCancelled else {
                failures.append(.init(step: command, message: "interrupted before `\(command)`",
                                      hint: "run `goldfleet up` again; it finishes only what is missing"))
                return
            }
            progress.report(.note(command))
            let start = clock.now()
            do {
                try await body()
                actions.append(.init(command: command, outcome: "ok", seconds: (clock.now() - start).seconds))
            } catch {
                actions.append(.init(command: command, outcome: "failed", seconds: (clock.now() - start).seconds))
                failures.append(.init(step: command, message: MachineFailure.text(of: error), hint: MachineFailure.hint(for: error)))
            }
        }

        var deployed: Set<String> = []
        for app in settings.applications {
            let placeable = app.placements.compactMap { placement in
                machineIDs[placement.instanceName].map { placement.directive(machineID: $0) }
            }
            let unplaced = app.placements.filter { machineIDs[$0.instanceName] == nil }
            if !unplaced.isEmpty {
                failures.append(.init(
                    step: "deploy \(app.name)",
                    message: "\(unplaced.count) unit(s) of \(app.name) not placed: machine(s) \(unplaced.map(\.instanceName).joined(separator: ", ")) failed",
                    hint: "fix those machines and run `goldfleet up` again; the missing units are added then"))
            }
            let failuresBefore = failures.count
            if let existing = status.application(app.name) {
                deployed.insert(app.name)
                // Units placed directly on a machine are matched by machine id; `lxd:N` units by
                // the host machine their container lives on.
                var occupied = existing.units.compactMap { $0.machine.map { Self.hostMachine(of: $0) } }
                let missing = placeable.filter { directive in
                    if let index = occupied.firstIndex(of: Self.hostMachine(of: directive)) {
                        occupied.remove(at: index)
                        return false
                    }
                    return true
                }
                for directive in missing {
                    await perform("juju add-unit \(app.name) --to \(directive)") {
                        try await juju.addUnit(app.name, to: [directive], numUnits: nil)
                    }
                }
            } else if app.numUnits == 0 || !placeable.isEmpty {
                let command = "juju deploy \(app.charm) \(app.name)" + (placeable.isEmpty ? "" : " --to \(placeable.joined(separator: ","))")
                deployed.insert(app.name)
                await perform(command) {
                    try await juju.deploy(
                        charm: app.charm, application: app.name, to: placeable,
                        numUnits: app.numUnits == 0 ? nil : placeable.count,
                        channel: app.channel, revision: app.revision,
                        config: Dictionary(app.config.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 }),
                        base: app.base, options: JujuCLI.DeployOptions(app), version: version)
                }
            }
            // juju's deploy has no flag for it; exposing twice is harmless, but a converged
            // model is left alone.
            if app.expose, deployed.contains(app.name), failures.count == failuresBefore || status.application(app.name) != nil,
               status.application(app.name)?.exposed != true {
                await perform("juju expose \(app.name)") { try await juju.expose(app.name) }
            }
        }

        for relation in settings.relations {
            let a = relation.first.application, b = relation.second.application
            if status.application(a)?.relatedApplications.contains(b) == true { continue }
            // An application none of whose units could be placed was not deployed.
            if let missing = [a, b].first(where: { !deployed.contains($0) && status.application($0) == nil }) {
                failures.append(.init(step: "relate \(relation.first) \(relation.second)",
                                      message: "not related yet: \(missing) is not deployed (its machines failed)",
                                      hint: "run `goldfleet up` again once its machines are fixed"))
                continue
            }
            await perform("juju \(version.major >= 3 ? "integrate" : "add-relation") \(relation.first) \(relation.second)") {
                do {
                    try await juju.relate(relation.first.description, relation.second.description, version: version)
                } catch let error as JujuError where error.jujuMessage.contains("already exists") {
                    return
                }
            }
        }
        return (actions, failures)
    }

    /// `3` → `3`, `3/lxd/0` → `3`, `lxd:3` → `3`: the machine a unit's placement lives on.
    static func hostMachine(of placement: String) -> String {
        if placement.hasPrefix("lxd:") { return String(placement.dropFirst(4)) }
        return String(placement.split(separator: "/").first ?? Substring(placement))
    }
}
