import ArgumentParser
import Foundation
import GoldfleetSupport
import Inventory
import JujuKit
import LXDKit
import Orchestrator

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what `goldfleet up` would do for an inventory, without changing anything.",
        discussion: """
            The juju commands are shown for the juju client `up` would use (its `juju version`), \
            or for --juju-version. The drift (what the environment holds that the inventory no \
            longer names) is read from the live state, read-only: LXD's instance list and \
            `juju status`; what could not be read is said in the output. --offline reads nothing.
            """)

    @Argument(help: "The inventory file (YAML).")
    var file: String

    @Option(name: .customLong("juju"), help: ArgumentHelp(
        "The juju client whose version decides the commands.", discussion: "Default: $GOLDFLEET_JUJU, then `juju` on PATH.",
        valueName: "path"))
    var juju: String?

    @Option(name: .customLong("juju-version"), help: ArgumentHelp(
        "Plan for this juju version (e.g. 2.9.49 or 3.6.4) instead of asking the client.", valueName: "version"))
    var jujuVersion: String?

    @OptionGroup var lxd: LXDOptions

    @Flag(help: "Do not read the live state (LXD, juju status): no drift is shown.")
    var offline = false

    func validate() throws {
        if let jujuVersion, JujuVersion(parsing: jujuVersion) == nil {
            throw ValidationError("--juju-version \(jujuVersion) is not a juju version (expected e.g. 2.9.49 or 3.6.4)")
        }
    }

    func run() async throws {
        let (inventory, diagnostics) = InventoryLoader.validate(path: file)
        DiagnosticOutput.printToStandardError(diagnostics)
        guard let inventory, !diagnostics.hasErrors else { throw ExitCode.failure }
        let version = try await detectedVersion(model: inventory.juju.model)
        let drift = offline ? nil : await liveDrift(inventory)
        print(Plan.make(for: inventory, jujuVersion: version, drift: drift).rendered(), terminator: "")
    }

    /// The drift read from LXD and juju, read-only; what could not be read is in `unread`.
    func liveDrift(_ inventory: Inventory) async -> Drift {
        let environment = ProcessInfo.processInfo.environment
        let lxd: LXDClient
        do {
            let endpoint = try await self.lxd.endpoint(for: inventory.lxd.location)
            // Read-only and for a human: a daemon that is away is said at once, not waited for.
            lxd = try LXDClient(endpoint: endpoint, retryPolicy: .never)
        } catch {
            return Drift(unread: ["LXD instances: \(Self.reason(error))"])
        }
        let located = Result { try JujuCLI.locate(explicit: juju, environment: environment) }
        // juju never sees the SSH password's variable, as with `up`.
        let runner = SystemProcessRunner(withholding: SystemProcessRunner.secretVariables.union(PasswordResolver.variables(of: inventory.ssh.password)))
        let orchestrator = Orchestrator(
            lxd: lxd, juju: JujuCLI(executable: (try? located.get()) ?? "juju", model: inventory.juju.model, runner: runner))
        var drift = await orchestrator.drift(of: inventory)
        if case .failure(let error) = located {
            drift.unread = drift.unread.map { $0.hasPrefix("juju status") ? "juju status: \(Self.reason(error))" : $0 }
        }
        try? await lxd.shutdown()
        return drift
    }

    /// The error's message without its hint: the plan says what it could not read, in one line.
    static func reason(_ error: any Error) -> String {
        let text = (error as? any UserFacingError)?.message ?? "\(error)"
        return text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    /// `--juju-version`, else what the juju client says; nil when there is no client to ask.
    func detectedVersion(model: String) async throws -> JujuVersion? {
        if let jujuVersion { return JujuVersion(parsing: jujuVersion) }  // checked in validate()
        let environment = ProcessInfo.processInfo.environment
        guard let executable = try? JujuCLI.locate(explicit: juju, environment: environment) else { return nil }
        return try? await JujuCLI(executable: executable, model: model).version()
    }
}
