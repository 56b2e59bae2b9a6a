import GoldfleetSupport
import Inventory

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
    /// `juju expose APP` (after its deploy; juju's deploy has no flag for it).
    case expose(application: String)
    /// `juju integrate A B`
    case relate(RelationSpec)

    /// The juju command line after `juju` (no `-m`; the caller adds the model), built by the
    /// same functions `up` runs juju with. `version` picks the relation command (`integrate` on
    /// 3.x, `add-relation` on 2.9; 3.x when unknown). `machineID` maps an instance name to the
    /// juju machine id `add-machine` reported.
    public func arguments(version: JujuVersion? = nil, machineID: (String) -> String) -> [String] {
        func directives(_ placements: [Placement]) -> [String] {
            placements.map { $0.directive(machineID: machineID($0.instanceName)) }
        }
        switch self {
        case .modelConfig(let entries):
            return ["model-config"] + entries.map(\.description)
        case .deploy(let app):
            // Subordinates (0 units) are deployed without -n/--to; juju adds no units for them.
            return ["deploy"] + JujuCLI.deployArguments(
                charm: app.charm, application: app.name, to: directives(app.placements),
                numUnits: app.placements.isEmpty ? nil : app.placements.count, channel: app.channel,
                revision: app.revision, config: Dictionary(app.config.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 }),
                base: app.base, options: JujuCLI.DeployOptions(app), version: version)
        case .addUnit(let application, let placements):
            // `up` adds one unit per missing placement; juju's default -n is 1.
            return ["add-unit", application]
                + JujuCLI.placementArguments(directives(placements), numUnits: placements.count > 1 ? placements.count : nil)
        case .expose(let application):
            return ["expose", application]
        case .relate(let relation):
            return [(version ?? JujuVersion(major: 3, minor: 0)).relationCommand,
                    relation.first.description, relation.second.description]
        }
    }

    /// The command with placeholders such as `<machine of demo-web-1>` for unknown machine ids.
    public var description: String { commandLine() }

    /// `juju SUBCOMMAND [-m MODEL] ARGS…` as `up` runs it against `version`, with placeholders
    /// such as `<machine of demo-web-1>` for machine ids known only then. Config values are
    /// hidden by the same rule as in juju errors (`JujuRedaction`).
    public func commandLine(model: String? = nil, version: JujuVersion? = nil) -> String {
        var arguments = arguments(version: version) { "<machine of \($0)>" }
        if let model { arguments = JujuCLI.modelArguments(arguments[0], model: model, Array(arguments.dropFirst())) }
        return "juju " + JujuRedaction.line(arguments) { argument in
            // `<machine of x>` placeholders contain spaces but are meant to be read, not pasted.
            argument.contains("<machine of ") && !argument.contains("'") ? argument : Command.quoted(argument, alsoSafe: "<>~")
        }.joined(separator: " ")
    }
}
