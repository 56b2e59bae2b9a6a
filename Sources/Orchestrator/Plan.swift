import Inventory
import JujuKit

/// What `goldfleet up` would do for an inventory, step by step, without touching anything.
///
/// The orchestrator executes `machines` (in parallel, each machine's steps in order) and then
/// `jujuActions` (in order), so what `goldfleet plan` prints is exactly what runs.
public struct Plan: Sendable, Equatable {
    public var inventory: Inventory
    public var machines: [MachinePlan]
    public var jujuActions: [JujuAction]
    /// The juju client's version (`juju version`), which decides command names; nil when unknown.
    public var jujuVersion: JujuVersion?
    /// What the live environment holds that the inventory no longer names (read-only, by
    /// `plan`); nil when the live state was not read.
    public var drift: Drift?

    public static func make(for inventory: Inventory, jujuVersion: JujuVersion? = nil, drift: Drift? = nil) -> Plan {
        let machines = inventory.machines.map { MachinePlan(machine: $0, inventory: inventory) }
        var actions: [JujuAction] = []
        if !inventory.juju.modelConfig.isEmpty { actions.append(.modelConfig(inventory.juju.modelConfig)) }
        for app in inventory.juju.applications {
            actions.append(.deploy(app))
            if app.expose { actions.append(.expose(application: app.name)) }
        }
        actions += inventory.juju.relations.map { .relate($0) }
        return Plan(inventory: inventory, machines: machines, jujuActions: actions, jujuVersion: jujuVersion, drift: drift)
    }

    /// Every step, machines first (in inventory order), then juju.
    public var steps: [PlanStep] {
        machines.flatMap { machine in machine.steps.map { PlanStep.machine(instanceName: machine.instanceName, $0) } }
            + jujuActions.map(PlanStep.juju)
    }

    public func rendered() -> String {
        var lines: [String] = []
        let count = machines.count
        lines.append("Plan for environment `\(inventory.name)` from \(inventory.sourceFile) (nothing is changed by `plan`).")
        lines.append("LXD: \(Self.describe(inventory.lxd.location)), pool \(inventory.lxd.pool), profiles \(inventory.lxd.profiles.joined(separator: ","))")
        lines.append(contentsOf: placementLines)
        lines.append("")
        lines += jujuModelLines
        lines.append("")
        lines.append("Machines: \(count) container\(count == 1 ? "" : "s") from \(inventory.gold), prepared in parallel:")
        for machine in machines {
            lines.append("  \(machine.instanceName)")
            for step in machine.steps {
                lines.append("    - \(step.rendered(instanceName: machine.instanceName, model: inventory.juju.model))")
            }
        }
        lines.append("")
        lines += jujuLines
        lines.append("")
        lines += driftLines
        // Names and paths come from the inventory: show control characters, never send them.
        return lines.map(DiagnosticText.escaped).joined(separator: "\n") + "\n"
    }

    /// Before the machines, `up` makes sure of the model (and its config).
    var jujuModelLines: [String] {
        let model = inventory.juju.model
        var lines: [String] = []
        if let jujuVersion {
            lines.append("Juju \(jujuVersion) (from `juju version`), first the model:")
        } else {
            lines.append("Juju (version unknown: no juju client answered `juju version`; commands are shown for juju 3.x, and juju 2.9 relates with `add-relation` instead of `integrate`), first the model:")
        }
        lines.append("  juju add-model \(model) --no-switch   # only if juju has no model `\(model)` yet")
        for action in jujuActions {
            if case .modelConfig = action { lines.append("  \(action.commandLine(model: model, version: jujuVersion))") }
        }
        return lines
    }

    /// After the machines: the juju commands `up` runs, exactly, for the detected juju version;
    /// what depends on the model's live state (which `plan` does not read) is said with each.
    var jujuLines: [String] {
        let model = inventory.juju.model
        var lines = ["Juju, after the machines, in order:"]
        let deployments = jujuActions.filter { if case .modelConfig = $0 { false } else { true } }
        if deployments.isEmpty { lines.append("  (nothing to deploy)") }
        for action in deployments {
            lines.append("  \(action.commandLine(model: model, version: jujuVersion))")
            switch action {
            case .deploy(let app) where app.numUnits == 0:
                lines.append("      # only if juju has no application `\(app.name)`. Deployed without units, which juju does only for a subordinate charm: juju refuses `-n 0` (\"--num-units must be a positive integer\", 2.9 and 3.x), so a principal charm gets one unit on a new machine a manual model cannot start")
            case .deploy(let app):
                let addUnit = JujuAction.addUnit(application: app.name, placements: Array(app.placements.prefix(1)))
                lines.append("      # only if juju has no application `\(app.name)`; otherwise, for each of its units juju lacks: \(addUnit.commandLine(model: model, version: jujuVersion))")
            case .expose(let application):
                lines.append("      # unless juju already exposes `\(application)`")
            case .relate:
                lines.append("      # unless juju already relates the two")
            case .modelConfig, .addUnit:
                break
            }
        }
        return lines
    }
}

extension Plan {
    /// The drift and the commands `up --prune` removes it with, in its order; or what could not
    /// be read.
    var driftLines: [String] {
        guard let drift else {
            return ["Drift: not read (the live LXD and juju state were not asked)."]
        }
        var lines = ["Drift (what the environment holds that the inventory no longer names; `up` leaves it and lists it, `up --prune` removes it, in this order):"]
        let model = inventory.juju.model
        // `plan` shows juju 3.x's commands when the version is unknown.
        let noPrompt = (jujuVersion?.major ?? 3) >= 3 ? ["--no-prompt"] : []
        func juju(_ subcommand: String, _ arguments: [String]) -> String {
            "  juju " + JujuCLI.modelArguments(subcommand, model: model, arguments + noPrompt).joined(separator: " ")
        }
        for unit in drift.jujuUnits { lines.append(juju("remove-unit", [unit])) }
        for application in drift.jujuApplications { lines.append(juju("remove-application", [application])) }
        for id in drift.jujuMachines { lines.append(juju("remove-machine", [id, "--force"])) }
        for instance in drift.instances {
            lines.append("  delete instance \(instance.name) (group \(instance.group.isEmpty ? "?" : instance.group), goldfleet's, made from this inventory) and goldfleet's known_hosts lines for it")
        }
        if drift.isEmpty && drift.unread.isEmpty { lines.append("  (none: the live state matches the inventory)") }
        for unread in drift.unread {
            lines.append("  could not read \(unread) — this part of the drift is unknown")
        }
        return lines
    }

    /// Whether the LXD may be a cluster, known without asking it: a remote may be one, and
    /// `target:` only makes sense on one.
    var mayBeCluster: Bool {
        switch inventory.lxd.location {
        case .remote, .url: true
        case .localSocket, .socket: machines.contains { $0.machine.target != nil }
        }
    }

    /// Which member each machine goes to, as far as it is known before `up` asks the cluster,
    /// and a warning when the gold would be migrated between members.
    var placementLines: [String] {
        guard mayBeCluster else { return [] }
        var lines: [String] = []
        let targeted = machines.compactMap { plan in plan.machine.target.map { "\(plan.instanceName) → \($0)" } }
        let spread = "spread \(inventory.lxd.spread.rawValue) over the ONLINE members (decided by `up`; existing machines keep their member)"
        if targeted.isEmpty {
            lines.append("Placement (if the LXD is a cluster): every machine by \(spread)")
        } else {
            lines.append("Placement: " + targeted.joined(separator: ", ")
                         + (targeted.count < machines.count ? "; the others by \(spread)" : ""))
        }
        if case .snapshot(let instance, let snapshot) = inventory.gold {
            lines.append("Note: gold \(instance)/\(snapshot) is an instance snapshot; copying it to another cluster member (or from another server) is a migration of its whole filesystem, for every machine. Publish it once as an image (`goldfleet gold publish \(instance)/\(snapshot)` with an alias) and set `gold: {image: ALIAS}`.")
        }
        return lines
    }

    static func describe(_ location: LXDLocation) -> String {
        switch location {
        case .localSocket: "local daemon"
        case .socket(let path): "socket \(path)"
        case .remote(let name): "remote \(name)"
        case .url(let url, _): url
        }
    }
}

public enum PlanStep: Sendable, Equatable, CustomStringConvertible {
    case machine(instanceName: String, PlannedStep)
    case juju(JujuAction)

    public var description: String {
        switch self {
        case .machine(let name, let step): "\(name): \(step.rendered(instanceName: name))"
        case .juju(let action): action.description
        }
    }
}

/// The preparation of one container, in order.
public struct MachinePlan: Sendable, Equatable {
    public var machine: MachineSpec
    public var steps: [PlannedStep]

    public var instanceName: String { machine.instanceName }

    public init(machine: MachineSpec, inventory: Inventory) {
        self.machine = machine
        var steps: [PlannedStep] = [
            .create(source: inventory.gold, pool: inventory.lxd.pool, profiles: inventory.lxd.profiles,
                    config: machine.instanceConfig(environment: inventory.name), target: machine.target),
            .start,
            .waitForIPv4,
            .pinHostKey,
            .verifyLogin(user: inventory.ssh.user, password: inventory.ssh.password),
            .installJujuKeys(user: inventory.ssh.user),
        ]
        if let wheelhouse = machine.wheelhouse {
            steps.append(.syncWheelhouse(wheelhouse))
            if wheelhouse.pipInstall { steps.append(.pipInstallWheelhouse(remote: wheelhouse.remote)) }
        }
        steps.append(.addMachine(user: inventory.ssh.user))
        self.steps = steps
    }
}

public enum PlannedStep: Sendable, Equatable {
    /// Clone the gold snapshot (or create from the image) with pool, profiles, limits and tags.
    case create(source: GoldSource, pool: String, profiles: [String], config: [ConfigEntry], target: String?)
    case start
    case waitForIPv4
    /// Read the host key over the LXD API and trust only that key for SSH.
    case pinHostKey
    /// Log in with the password and check `sudo -n true`.
    case verifyLogin(user: String, password: PasswordSource)
    /// Add juju's public keys to `authorized_keys`, so `juju add-machine` works without a password.
    case installJujuKeys(user: String)
    case syncWheelhouse(WheelhouseSettings)
    case pipInstallWheelhouse(remote: String)
    /// `juju add-machine ssh:USER@IP`
    case addMachine(user: String)

    /// `model`: the juju model, shown in `juju add-machine -m MODEL` as `up` runs it.
    public func rendered(instanceName name: String, model: String? = nil) -> String {
        switch self {
        case .create(let source, let pool, let profiles, let config, let target):
            let from: String
            switch source {
            case .snapshot(let instance, let snapshot): from = "copy \(instance)/\(snapshot) → \(name)"
            case .image(let alias): from = "create \(name) from image \(alias)"
            }
            var text = "\(from) (pool \(pool), profiles \(profiles.joined(separator: ",")), "
                + config.map(\.description).joined(separator: " ") + ")"
            if let target { text += " on cluster member \(target)" }
            return text
        case .start: return "start \(name)"
        case .waitForIPv4: return "wait for an IPv4 address on \(name)"
        case .pinHostKey: return "pin the SSH host key of \(name)"
        case .verifyLogin(let user, let password):
            return "log in over SSH as \(user) (password from \(password)) and check sudo"
        case .installJujuKeys(let user): return "install juju's public SSH keys for \(user)"
        case .syncWheelhouse(let wheelhouse): return "copy wheelhouse \(wheelhouse.path) → \(wheelhouse.remote)"
        case .pipInstallWheelhouse(let remote): return Orchestrator.pipInstallCommand(wheelhouse: remote) + " (system-wide, for charm hooks)"
        case .addMachine(let user):
            let command = "juju add-machine " + (model.map { "-m \($0) " } ?? "") + "ssh:\(user)@<IPv4 of \(name)>"
            return command + " (unless juju has a machine for that address)"
        }
    }
}
