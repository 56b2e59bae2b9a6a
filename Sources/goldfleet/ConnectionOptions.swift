import ArgumentParser
import Foundation
import GoldfleetSupport
import Inventory
import JujuKit
import LXDKit
import Orchestrator

/// How to reach LXD and juju; shared by every command that touches them.
struct ConnectionOptions: ParsableArguments {
    @OptionGroup var lxd: LXDOptions

    @Option(name: .customLong("juju"), help: ArgumentHelp(
        "The juju client to run.", discussion: "Default: $GOLDFLEET_JUJU, then `juju` on PATH.", valueName: "path"))
    var juju: String?

    @Option(help: "How many machines to work on at once, 1 to \(Self.parallelLimit) (default: from the number of cores).")
    var parallel: Int?

    /// No inventory names more instances than this (`InventoryParser`'s cap), so more at once is never useful.
    static let parallelLimit = 1000

    func validate() throws {
        if let parallel, !(1...Self.parallelLimit).contains(parallel) {
            throw ValidationError("--parallel \(parallel) is out of range: give 1 to \(Self.parallelLimit) machines at once")
        }
    }

    /// Builds the orchestrator, runs `body`, and always shuts the LXD client down.
    func withOrchestrator<T: Sendable>(
        inventory: Inventory?, model: String? = nil, progress: any ProgressSink, requireJuju: Bool = true,
        _ body: (Orchestrator) async throws -> T
    ) async throws -> T {
        let environment = ProcessInfo.processInfo.environment
        let lxd = try LXDClient(endpoint: try await self.lxd.endpoint(for: inventory?.lxd.location))
        do {
            try await lxd.requireTrusted()
            // `list`, `status` and `down --keep-juju` work without a juju client; `up` needs one.
            let located = Result { try JujuCLI.locate(explicit: juju, environment: environment) }
            if requireJuju { _ = try located.get() }
            let executable = (try? located.get()) ?? "juju"
            let home = environment["HOME"] ?? NSHomeDirectory()
            let jujuData = JujuClientKeys.jujuDataDirectory(home: home, environment: environment)
            let simulated = environment["GOLDFLEET_JUJU_SIMULATED"] == "1"
            if simulated && requireJuju {
                FileHandle.standardError.write(Data("⚠ Juju is SIMULATED: \(executable) is goldfleet's Juju double, not a real controller.\n".utf8))
            }
            var options = Orchestrator.Options(
                jujuPublicKeys: JujuClientKeys.publicKeys(home: home, jujuData: jujuData),
                jujuKnownHosts: JujuClientKeys.knownHostsPath(home: home, environment: environment),
                jujuSimulated: simulated)
            if let parallel { options.parallel = parallel }
            // juju and what it starts never see the SSH password's variable.
            let secrets = inventory.map { PasswordResolver.variables(of: $0.ssh.password) } ?? []
            let runner = SystemProcessRunner(withholding: SystemProcessRunner.secretVariables.union(secrets))
            let orchestrator = Orchestrator(
                lxd: lxd,
                juju: JujuCLI(executable: executable, model: model ?? inventory?.juju.model ?? "default", runner: runner),
                progress: progress, options: options)
            let result = try await body(orchestrator)
            try? await lxd.shutdown()
            return result
        } catch {
            try? await lxd.shutdown()
            throw error
        }
    }
}

/// Loads an inventory for a command, printing its warnings; errors come out all at once.
func loadInventory(_ path: String) throws -> Inventory {
    let (inventory, diagnostics) = InventoryLoader.validate(path: path)
    DiagnosticOutput.printToStandardError(diagnostics.filter { !$0.isError } + diagnostics.filter(\.isError))
    guard let inventory, !diagnostics.hasErrors else { throw ExitCode.failure }
    return inventory
}

/// Prints JSON for `--json`.
func printJSON<T: Encodable>(_ value: T) {
    print(JSONText.of(value))
}
