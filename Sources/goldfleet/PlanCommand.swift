import ArgumentParser
import Foundation
import GoldfleetCore

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what `goldfleet up` would do for an inventory, without changing anything.",
        discussion: """
            The juju commands are shown for the juju client `up` would use (its `juju version`; \
            no controller is contacted), or for --juju-version.
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

    func run() async throws {
        let (inventory, diagnostics) = InventoryLoader.validate(path: file)
        DiagnosticOutput.printToStandardError(diagnostics)
        guard let inventory, !diagnostics.hasErrors else { throw ExitCode.failure }
        print(Plan.make(for: inventory, jujuVersion: try await detectedVersion(model: inventory.juju.model)).rendered(), terminator: "")
    }

    /// `--juju-version`, else what the juju client says; nil when there is no client to ask.
    func detectedVersion(model: String) async throws -> JujuVersion? {
        if let jujuVersion {
            guard let version = JujuVersion(parsing: jujuVersion) else {
                throw ValidationError("--juju-version \(jujuVersion) is not a juju version (expected e.g. 2.9.49 or 3.6.4)")
            }
            return version
        }
        let environment = ProcessInfo.processInfo.environment
        guard let executable = try? JujuCLI.locate(explicit: juju, environment: environment) else { return nil }
        return try? await JujuCLI(executable: executable, model: model).version()
    }
}
