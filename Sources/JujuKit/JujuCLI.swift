import Foundation
import GoldfleetSupport
import Inventory

/// Drives the `juju` command-line client for one model.
///
/// Every model command passes `-m MODEL`, arguments travel as an array (never through a shell),
/// and a non-zero exit becomes a `JujuError` carrying juju's own message.
public struct JujuCLI: Sendable {
    public let executable: String
    public let model: String
    public let runner: any ProcessRunning
    /// Extra environment for juju (e.g. `JUJU_DATA`), on top of goldfleet's own.
    public let environment: [String: String]

    public init(executable: String, model: String, runner: any ProcessRunning = SystemProcessRunner(), environment: [String: String] = [:]) {
        self.executable = executable
        self.model = model
        self.runner = runner
        self.environment = environment
    }

    /// Finds the juju client: `explicit` (from `--juju PATH`), then `$GOLDFLEET_JUJU`, then `juju` on `$PATH`.
    public static func locate(explicit: String?, environment: [String: String]) throws -> String {
        let path = environment["PATH"]
        if let explicit, !explicit.isEmpty {
            guard let found = SystemProcessRunner.resolve(explicit, path: path) else {
                throw JujuNotFoundError(searched: "--juju \(explicit) is not an executable file")
            }
            return found
        }
        if let configured = environment["GOLDFLEET_JUJU"], !configured.isEmpty {
            guard let found = SystemProcessRunner.resolve(configured, path: path) else {
                throw JujuNotFoundError(searched: "GOLDFLEET_JUJU=\(configured) is not an executable file")
            }
            return found
        }
        guard let found = SystemProcessRunner.resolve("juju", path: path) else {
            throw JujuNotFoundError(searched: "no `juju` on PATH (\(path ?? ""))")
        }
        return found
    }

    // MARK: - Client and models

    /// `juju version`.
    public func version() async throws -> JujuVersion {
        let (command, result) = try await run(["version"])
        guard let version = JujuVersion(parsing: result.standardOutput) else {
            throw unreadable(command, "`\(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))` is not a juju version")
        }
        return version
    }

    /// `juju models --format=json`.
    public func models() async throws -> [JujuModel] {
        let (command, result) = try await run(["models", "--format=json"])
        do { return try JujuModel.parseList(result.standardOutput) } catch { throw unreadable(command, error) }
    }

    /// `juju add-model NAME --no-switch` (goldfleet never changes the user's current model).
    public func addModel(_ name: String) async throws {
        try await run(["add-model", name, "--no-switch"])
    }

    /// Creates this CLI's model unless it exists; returns true when it was created.
    @discardableResult
    public func ensureModel() async throws -> Bool {
        if try await models().contains(where: { $0.shortName == model || $0.name == model }) { return false }
        do {
            try await addModel(model)
            return true
        } catch let error as JujuError where error.reason == .alreadyExists {
            return false  // created concurrently by someone else
        }
    }

    // MARK: - Machines

    /// Registers `user@host` as a manual machine and returns its id.
    ///
    /// Idempotent: a machine already in the model for this host (address, DNS name or instance id
    /// `manual:HOST`) is returned instead of adding a second one. A caller that has just listed
    /// the model's machines passes them as `known`, saving a `juju machines` call per machine.
    public func addMachine(user: String, host: String, known: [JujuMachine]? = nil) async throws -> String {
        let current: [JujuMachine]
        if let known { current = known } else { current = try await machines() }
        if let existing = current.first(where: { $0.matches(host: host) }) { return existing.id }
        let command = modelCommand("add-machine", ["ssh:\(user)@\(host)"])
        let result = try await runner.run(command)
        if result.exitCode != 0 {
            let error = JujuError(command: command, result: result)
            // A concurrent call for the same host may have won the race: then it is ours too.
            if error.reason == .alreadyProvisioned,
               let existing = try? await machines().first(where: { $0.matches(host: host) }) {
                return existing.id
            }
            throw error
        }
        guard let id = Self.createdMachineID(in: result.standardError) else {
            throw unreadable(command, "no `created machine N` line on stderr")
        }
        return id
    }

    /// juju prints `created machine N` on STDERR (stdout stays empty).
    static func createdMachineID(in stderr: String) -> String? {
        for line in stderr.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count == 3, words[0] == "created", words[1] == "machine" || words[1] == "container" {
                return String(words[2])
            }
        }
        return nil
    }

    /// `juju machines -m MODEL --format=json`.
    public func machines() async throws -> [JujuMachine] {
        let (command, result) = try await run(modelCommand("machines", ["--format=json"]))
        do { return try JujuMachine.parseList(result.standardOutput) } catch { throw unreadable(command, error) }
    }

    /// `juju remove-machine -m MODEL ID [--force]`.
    public func removeMachine(_ id: String, force: Bool = false, version: JujuVersion? = nil) async throws {
        try await run(modelCommand("remove-machine", [id] + (force ? ["--force"] : []) + (try await noPrompt(version))))
    }

    /// juju 3.x asks `Continue [y/N]?` before removing anything while the model's `mode` holds
    /// `requires-prompts`, its default (cmd/modelcmd/confirmation.go, environs/config, branch
    /// 3.6); unattended the answer is EOF and juju aborts. `--no-prompt` skips the question;
    /// juju 2.9 has no such flag and never asks. `version` nil: asked with `juju version`.
    func noPrompt(_ version: JujuVersion?) async throws -> [String] {
        let known: JujuVersion
        if let version { known = version } else { known = try await self.version() }
        return known.major >= 3 ? ["--no-prompt"] : []
    }

    // MARK: - Applications

    /// `juju deploy -m MODEL CHARM [APP] [--to A,B] [-n K] [--channel C] [--revision R] [--config k=v]… [--base B]
    /// [--constraints C] [--trust] [--bind EXPR] [--resource name=value]…`.
    public func deploy(charm: String, application: String? = nil, to placements: [String] = [], numUnits: Int? = nil,
                       channel: String? = nil, revision: Int? = nil, config: [String: String] = [:], base: String? = nil,
                       options: DeployOptions = DeployOptions(), version: JujuVersion? = nil) async throws {
        try await run(modelCommand("deploy", Self.deployArguments(
            charm: charm, application: application, to: placements, numUnits: numUnits, channel: channel,
            revision: revision, config: config, base: base, options: options, version: version)))
    }

    /// What `deploy` takes besides the charm, its placement and its config. The flags are the
    /// same in juju 2.9 and 3.x (cmd/juju/application/deploy.go `SetFlags`, juju-2.9.21 and 3.6).
    public struct DeployOptions: Sendable, Equatable {
        public var constraints: String?
        public var trust: Bool
        /// juju's `--bind` expression (`ApplicationSpec.bindExpression`).
        public var bind: String?
        /// Resource name → revision or absolute file, one `--resource name=value` each, in order.
        public var resources: [ConfigEntry]

        public init(constraints: String? = nil, trust: Bool = false, bind: String? = nil, resources: [ConfigEntry] = []) {
            self.constraints = constraints
            self.trust = trust
            self.bind = bind
            self.resources = resources
        }

        public init(_ app: ApplicationSpec) {
            self.init(constraints: app.constraints, trust: app.trust, bind: app.bindExpression, resources: app.resources)
        }
    }

    /// The arguments after `deploy -m MODEL`; `plan` renders them with this same function.
    /// juju 2.9's deploy has `--series`, no `--base` (cmd/juju/application/deploy.go, juju-2.9.21):
    /// an Ubuntu base becomes its series there.
    public static func deployArguments(charm: String, application: String?, to placements: [String], numUnits: Int?,
                                       channel: String?, revision: Int?, config: [String: String], base: String?,
                                       options: DeployOptions = DeployOptions(),
                                       version: JujuVersion? = nil) -> [String] {
        var arguments = [charm]
        if let application { arguments.append(application) }
        arguments += placementArguments(placements, numUnits: numUnits)
        if let channel { arguments += ["--channel", channel] }
        if let revision { arguments += ["--revision", String(revision)] }
        for key in config.keys.sorted() { arguments += ["--config", "\(key)=\(config[key]!)"] }
        if let base {
            if let version, version.major < 3, let series = UbuntuRelease.series(base: base) {
                arguments += ["--series", series]
            } else {
                arguments += ["--base", base]
            }
        }
        if let constraints = options.constraints { arguments += ["--constraints", constraints] }
        if options.trust { arguments.append("--trust") }
        if let bind = options.bind { arguments += ["--bind", bind] }
        for resource in options.resources { arguments += ["--resource", resource.description] }
        return arguments
    }

    /// `juju expose -m MODEL APP` (cmd/juju/application/expose.go, 2.9 and 3.x): opens the
    /// application's ports to every address.
    public func expose(_ application: String) async throws {
        try await run(modelCommand("expose", [application]))
    }

    /// `juju add-unit -m MODEL APP [-n K] [--to A,B]`.
    public func addUnit(_ application: String, to placements: [String] = [], numUnits: Int? = nil) async throws {
        try await run(modelCommand("add-unit", [application] + Self.placementArguments(placements, numUnits: numUnits)))
    }

    static func placementArguments(_ placements: [String], numUnits: Int?) -> [String] {
        var arguments: [String] = []
        if let numUnits { arguments += ["-n", String(numUnits)] }
        if !placements.isEmpty { arguments += ["--to", placements.joined(separator: ",")] }
        return arguments
    }

    /// Relates two applications (or `app:endpoint`s): `integrate` on juju 3.x, `add-relation` on 2.9.
    /// A relation that already exists counts as success.
    public func relate(_ first: String, _ second: String, version: JujuVersion) async throws {
        do {
            try await run(modelCommand(version.relationCommand, [first, second]))
        } catch let error as JujuError where error.reason == .alreadyExists {
            return
        }
    }

    /// `juju remove-application -m MODEL APP`; with `force`, `--force --no-wait` (both 2.9 and
    /// 3.x, cmd/juju/application/removeapplication.go): the units go without waiting for their
    /// stop/remove hooks, also from a unit stuck in a hook error.
    public func removeApplication(_ application: String, force: Bool = false, version: JujuVersion? = nil) async throws {
        try await run(modelCommand("remove-application", [application] + (force ? ["--force", "--no-wait"] : []) + (try await noPrompt(version))))
    }

    /// `juju remove-unit -m MODEL UNIT` (a unit of a machine goldfleet no longer places it on).
    public func removeUnit(_ unit: String, version: JujuVersion? = nil) async throws {
        try await run(modelCommand("remove-unit", [unit] + (try await noPrompt(version))))
    }

    /// `juju model-config -m MODEL k=v …` (values are redacted in errors).
    public func setModelConfig(_ pairs: [(String, String)]) async throws {
        guard !pairs.isEmpty else { return }
        try await run(modelCommand("model-config", pairs.map { "\($0.0)=\($0.1)" }))
    }

    /// `juju status -m MODEL --format=json`.
    public func status() async throws -> JujuStatus {
        let (command, result) = try await run(modelCommand("status", ["--format=json"]))
        do { return try JujuStatus.parse(result.standardOutput) } catch { throw unreadable(command, error) }
    }

    /// `juju refresh -m MODEL APP --path CHARM`: the local charm as the application's next revision.
    public func refresh(_ application: String, path: String) async throws {
        try await run(modelCommand("refresh", [application, "--path", path]))
    }

    /// `juju show-status-log -m MODEL UNIT --type juju-unit --format=json -n N`: the unit agent's
    /// recent statuses, oldest first (`executing` "running X hook", `idle`, `error`).
    public func agentStatusLog(unit: String, entries: Int = 50) async throws -> [JujuStatusLogEntry] {
        let (command, result) = try await run(modelCommand("show-status-log", [unit, "--type", "juju-unit", "--format=json", "-n", String(entries)]))
        do { return try JSONDecoder().decode([JujuStatusLogEntry].self, from: Data(result.standardOutput.utf8)) } catch {
            throw unreadable(command, error)
        }
    }

    /// `juju debug-log -m MODEL --replay --no-tail --include unit-APP-N -n LINES`: the unit's
    /// last log lines (hook output included).
    public func debugLog(unit: String, lines: Int) async throws -> [String] {
        let entity = "unit-" + unit.replacingOccurrences(of: "/", with: "-")
        let (_, result) = try await run(modelCommand("debug-log", ["--replay", "--no-tail", "--include", entity, "-n", String(lines)]))
        return result.standardOutput.split(separator: "\n").map(String.init)
    }

    // MARK: - Running

    /// `juju SUBCOMMAND -m MODEL ARGS…`.
    func modelCommand(_ subcommand: String, _ arguments: [String]) -> Command {
        Command(executable, Self.modelArguments(subcommand, model: model, arguments), environment: environment)
    }

    /// `SUBCOMMAND -m MODEL ARGS…`: where every model command puts the model.
    public static func modelArguments(_ subcommand: String, model: String, _ arguments: [String]) -> [String] {
        [subcommand, "-m", model] + arguments
    }

    @discardableResult
    private func run(_ arguments: [String]) async throws -> (Command, ProcessResult) {
        try await run(Command(executable, arguments, environment: environment))
    }

    @discardableResult
    private func run(_ command: Command) async throws -> (Command, ProcessResult) {
        let result = try await runner.run(command)
        guard result.exitCode == 0 else { throw JujuError(command: command, result: result) }
        return (command, result)
    }

    private func unreadable(_ command: Command, _ detail: Any) -> JujuError {
        JujuError(commandLine: JujuError.redacted(command), exitCode: 0,
                  jujuMessage: "could not read juju's output: \(detail)", reason: .unreadableOutput)
    }
}
