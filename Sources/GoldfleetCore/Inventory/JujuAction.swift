/// One juju client command of an environment, in the order `up` runs them.
///
/// Placements name inventory instances; the juju machine ids exist only after
/// `juju add-machine`, so `arguments(machineID:)` takes the mapping at execution time.
public enum JujuAction: Sendable, Equatable, CustomStringConvertible {
    /// `juju model-config k=v …`
    case modelConfig([ConfigEntry])
    /// `juju deploy CHARM APP [--channel C] [--revision R] [--base B] [--config k=v]… [-n K --to …]`
    case deploy(ApplicationSpec)
    /// `juju add-unit APP -n K --to …` (for growing an application after it was deployed).
    case addUnit(application: String, placements: [Placement])
    /// `juju integrate A B`
    case relate(RelationSpec)

    /// The juju command line after `juju` (no `-m`; the caller adds the model).
    /// `machineID` maps an instance name to the juju machine id `add-machine` reported.
    public func arguments(machineID: (String) -> String) -> [String] {
        func to(_ placements: [Placement]) -> [String] {
            guard !placements.isEmpty else { return [] }
            return ["-n", String(placements.count),
                    "--to", placements.map { $0.directive(machineID: machineID($0.instanceName)) }.joined(separator: ",")]
        }
        switch self {
        case .modelConfig(let entries):
            return ["model-config"] + entries.map(\.description)
        case .deploy(let app):
            var arguments = ["deploy", app.charm, app.name]
            if let channel = app.channel { arguments += ["--channel", channel] }
            if let revision = app.revision { arguments += ["--revision", String(revision)] }
            if let base = app.base { arguments += ["--base", base] }
            for entry in app.config { arguments += ["--config", entry.description] }
            // Subordinates (0 units) are deployed without -n/--to; juju adds no units for them.
            return arguments + to(app.placements)
        case .addUnit(let application, let placements):
            return ["add-unit", application] + to(placements)
        case .relate(let relation):
            return ["integrate", relation.first.description, relation.second.description]
        }
    }

    /// The command with placeholders such as `<machine of demo-web-1>` for unknown machine ids.
    /// Config values are hidden by the same rule as in juju errors (`JujuRedaction`).
    public var description: String {
        let arguments = arguments { "<machine of \($0)>" }
        return "juju " + JujuRedaction.line(arguments) { argument in
            // `<machine of x>` placeholders contain spaces but are meant to be read, not pasted.
            argument.contains("<machine of ") && !argument.contains("'") ? argument : Command.quoted(argument, alsoSafe: "<>~")
        }.joined(separator: " ")
    }
}
