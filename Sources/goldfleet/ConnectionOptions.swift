import ArgumentParser
import Foundation
import GoldfleetSupport
import Inventory
import JujuKit
import LXDKit
import Orchestrator

/// How to reach LXD and juju; shared by every command that touches them.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("lxd-socket"), help: ArgumentHelp(
        "LXD's unix socket.", discussion: "Default: $LXD_SOCKET, $LXD_DIR/unix.socket, then the snap, Debian and Incus paths. An inventory's `lxd:` section wins.",
        valueName: "path"))
    var lxdSocket: String?

    @Option(name: .customLong("juju"), help: ArgumentHelp(
        "The juju client to run.", discussion: "Default: $GOLDFLEET_JUJU, then `juju` on PATH.", valueName: "path"))
    var juju: String?

    @Option(help: "How many machines to work on at once (default: from the number of cores).")
    var parallel: Int?

    /// Builds the orchestrator, runs `body`, and always shuts the LXD client down.
    func withOrchestrator<T: Sendable>(
        inventory: Inventory?, model: String? = nil, progress: any ProgressSink, requireJuju: Bool = true,
        _ body: (Orchestrator) async throws -> T
    ) async throws -> T {
        let environment = ProcessInfo.processInfo.environment
        let endpoint = try await LXDConnection.endpoint(for: inventory?.lxd.location, socket: lxdSocket, environment: environment)
        let lxd = try LXDClient(endpoint: endpoint)
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
            if let parallel { options.parallel = max(1, parallel) }
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
    for warning in diagnostics where !warning.isError {
        FileHandle.standardError.write(Data("\(warning)\n".utf8))
    }
    guard let inventory, !diagnostics.contains(where: \.isError) else {
        for error in diagnostics where error.isError { FileHandle.standardError.write(Data("\(error)\n".utf8)) }
        throw ExitCode.failure
    }
    return inventory
}

/// Prints JSON for `--json`.
func printJSON<T: Encodable>(_ value: T) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self))
}
