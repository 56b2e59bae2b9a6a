import Foundation
@testable import Inventory
@testable import JujuKit

/// A juju controller in memory: models with manual machines, applications, units, relations.
/// Keeps juju's contracts: `add-machine` for a host juju already has returns that machine;
/// removing what is not there, or working in a model that does not exist, is `.notFound`; a
/// machine with units is only removed with `--force` (and its units with it).
actor FakeJujuController {
    struct Application: Sendable {
        var charm: String
        /// Unit number → the machine it is placed on (nil for a subordinate's units).
        var units: [Int: String] = [:]
        var nextUnit = 0
        var exposed = false
        var related: Set<String> = []
    }

    struct Model: Sendable {
        var config: [String: String] = [:]
        var machines: [String: JujuMachine] = [:]
        var nextMachine = 0
        var applications: [String: Application] = [:]
    }

    private(set) var models: [String: Model] = [:]
    private var failingHosts: [String: String] = [:]

    /// Makes `add-machine` of `host` fail with juju's `message`.
    func failAddMachine(host: String, message: String = "ssh: connect to host: Connection timed out") {
        failingHosts[host] = message
    }

    func addModel(_ name: String) { if models[name] == nil { models[name] = Model() } }

    func model(_ name: String) -> Model? { models[name] }

    // MARK: The calls, by model

    func ensureModel(_ name: String) -> Bool {
        guard models[name] == nil else { return false }
        models[name] = Model()
        return true
    }

    func setModelConfig(_ name: String, _ pairs: [(String, String)]) throws {
        try edit(name) { model in for (key, value) in pairs { model.config[key] = value } }
    }

    func machines(_ name: String) throws -> [JujuMachine] {
        try existing(name).machines.values.sorted { JujuMachine.idPrecedes($0.id, $1.id) }
    }

    func status(_ name: String) throws -> JujuStatus {
        let model = try existing(name)
        let applications = model.applications.map { appName, app in
            JujuApplication(
                name: appName, charm: app.charm, relations: app.related.isEmpty ? [:] : ["rel": app.related.sorted()],
                units: app.units.keys.sorted().map { JujuUnit(name: "\(appName)/\($0)", machine: app.units[$0]!) },
                exposed: app.exposed)
        }.sorted { $0.name < $1.name }
        return JujuStatus(modelName: name, machines: try machines(name), applications: applications)
    }

    func addMachine(_ name: String, user: String, host: String, known: [JujuMachine]?) throws -> String {
        let current = try known ?? machines(name)
        if let machine = current.first(where: { $0.matches(host: host) }) { return machine.id }
        if let message = failingHosts[host] {
            throw Self.error("add-machine ssh:\(user)@\(host)", message, .hostUnreachable)
        }
        var id = ""
        try edit(name) { model in
            // A concurrent add-machine of the same host finds the one juju has (`known` may be stale).
            if let machine = model.machines.values.first(where: { $0.matches(host: host) }) { id = machine.id; return }
            id = String(model.nextMachine)
            model.nextMachine += 1
            model.machines[id] = JujuMachine(id: id, dnsName: host, ipAddresses: [host], instanceID: "manual:\(host)",
                                             jujuStatus: JujuStatusValue(current: "started"))
        }
        return id
    }

    func removeMachine(_ name: String, _ id: String, force: Bool) throws {
        try edit(name) { model in
            guard model.machines[id] != nil else { throw Self.error("remove-machine \(id)", "machine \(id) not found", .notFound) }
            let hosted = model.applications.values.contains { $0.units.values.contains(id) }
            if hosted && !force {
                throw Self.error("remove-machine \(id)", "machine \(id) has unit(s) assigned", .other)
            }
            model.machines[id] = nil
            for appName in model.applications.keys { model.applications[appName]!.units = model.applications[appName]!.units.filter { $0.value != id } }
        }
    }

    func deploy(_ name: String, charm: String, application: String?, to placements: [String], numUnits: Int?) throws {
        let appName = application ?? charm
        try edit(name) { model in
            guard model.applications[appName] == nil else {
                throw Self.error("deploy \(charm) \(appName)", "cannot add application \"\(appName)\": application already exists", .alreadyExists)
            }
            var app = Application(charm: charm)
            try Self.place(&app, on: placements, in: model)
            model.applications[appName] = app
        }
    }

    func addUnit(_ name: String, _ application: String, to placements: [String], numUnits: Int?) throws {
        try edit(name) { model in
            guard var app = model.applications[application] else {
                throw Self.error("add-unit \(application)", "application \"\(application)\" not found", .notFound)
            }
            try Self.place(&app, on: placements, in: model)
            model.applications[application] = app
        }
    }

    func expose(_ name: String, _ application: String) throws {
        try edit(name) { model in
            guard model.applications[application] != nil else { throw Self.error("expose \(application)", "application \"\(application)\" not found", .notFound) }
            model.applications[application]!.exposed = true
        }
    }

    func relate(_ name: String, _ first: String, _ second: String) throws {
        let a = String(first.split(separator: ":")[0]), b = String(second.split(separator: ":")[0])
        try edit(name) { model in
            for app in [a, b] where model.applications[app] == nil {
                throw Self.error("integrate \(first) \(second)", "application \"\(app)\" not found", .notFound)
            }
            model.applications[a]!.related.insert(b)
            model.applications[b]!.related.insert(a)
        }
    }

    func removeApplication(_ name: String, _ application: String) throws {
        try edit(name) { model in
            guard model.applications[application] != nil else {
                throw Self.error("remove-application \(application)", "application \"\(application)\" not found", .notFound)
            }
            model.applications[application] = nil
            for other in model.applications.keys { model.applications[other]!.related.remove(application) }
        }
    }

    func removeUnit(_ name: String, _ unit: String) throws {
        let parts = unit.split(separator: "/")
        try edit(name) { model in
            guard parts.count == 2, let number = Int(parts[1]), model.applications[String(parts[0])]?.units[number] != nil else {
                throw Self.error("remove-unit \(unit)", "unit \"\(unit)\" does not exist", .notFound)
            }
            model.applications[String(parts[0])]!.units[number] = nil
        }
    }

    func requireApplication(_ name: String, _ application: String) throws {
        guard try existing(name).applications[application] != nil else {
            throw Self.error("refresh \(application)", "application \"\(application)\" not found", .notFound)
        }
    }

    // MARK: Model

    /// Units on the `--to` directives (`3`, `lxd:3`). Without any, none: goldfleet deploys only
    /// subordinates that way, whose units follow their principal's (new machines are not modelled).
    private static func place(_ app: inout Application, on placements: [String], in model: Model) throws {
        for directive in placements {
            let machine = directive.hasPrefix("lxd:") ? String(directive.dropFirst(4)) : directive
            guard model.machines[machine] != nil else {
                throw error("deploy --to \(directive)", "machine \(machine) not found", .notFound)
            }
            app.units[app.nextUnit] = directive.hasPrefix("lxd:") ? "\(machine)/lxd/\(app.nextUnit)" : machine
            app.nextUnit += 1
        }
    }

    private func existing(_ name: String) throws -> Model {
        guard let model = models[name] else { throw Self.error("status", "model \"\(name)\" not found", .notFound) }
        return model
    }

    private func edit(_ name: String, _ change: (inout Model) throws -> Void) throws {
        var model = try existing(name)
        try change(&model)
        models[name] = model
    }

    static func error(_ command: String, _ message: String, _ reason: JujuError.Reason) -> JujuError {
        JujuError(commandLine: "juju \(command)", exitCode: 1, jujuMessage: message, reason: reason)
    }
}

/// The `JujuDriving` face of a `FakeJujuController`, one model at a time.
struct FakeJuju: JujuDriving {
    let controller: FakeJujuController
    let model: String

    func inModel(_ model: String) -> any JujuDriving { FakeJuju(controller: controller, model: model) }
    func version() async throws -> JujuVersion { JujuVersion(major: 3, minor: 6) }
    func ensureModel() async throws -> Bool { await controller.ensureModel(model) }
    func setModelConfig(_ pairs: [(String, String)]) async throws { try await controller.setModelConfig(model, pairs) }
    func status() async throws -> JujuStatus { try await controller.status(model) }
    func machines() async throws -> [JujuMachine] { try await controller.machines(model) }

    func addMachine(user: String, host: String, known: [JujuMachine]?) async throws -> String {
        try await controller.addMachine(model, user: user, host: host, known: known)
    }

    func removeMachine(_ id: String, force: Bool, version: JujuVersion?) async throws {
        try await controller.removeMachine(model, id, force: force)
    }

    func deploy(charm: String, application: String?, to placements: [String], numUnits: Int?, channel: String?,
                revision: Int?, config: [String: String], base: String?, options: JujuCLI.DeployOptions,
                version: JujuVersion?) async throws {
        try await controller.deploy(model, charm: charm, application: application, to: placements, numUnits: numUnits)
    }

    func addUnit(_ application: String, to placements: [String], numUnits: Int?) async throws {
        try await controller.addUnit(model, application, to: placements, numUnits: numUnits)
    }

    func expose(_ application: String) async throws { try await controller.expose(model, application) }
    func relate(_ first: String, _ second: String, version: JujuVersion) async throws { try await controller.relate(model, first, second) }
    func removeApplication(_ application: String, force: Bool, version: JujuVersion?) async throws { try await controller.removeApplication(model, application) }
    func removeUnit(_ unit: String, version: JujuVersion?) async throws { try await controller.removeUnit(model, unit) }
    func refresh(_ application: String, path: String) async throws { try await controller.requireApplication(model, application) }
    func agentStatusLog(unit: String, entries: Int) async throws -> [JujuStatusLogEntry] { [] }
    func debugLog(unit: String, lines: Int) async throws -> [String] { [] }
    /// Runs nothing: the fake has no charms, only the unit's existence is checked.
    func exec(unit: String, commands: String, version: JujuVersion) async throws -> JujuExecResult {
        try await controller.requireApplication(model, String(unit.split(separator: "/").first ?? ""))
        return JujuExecResult(exitCode: 0, output: "")
    }
}
