import ArgumentParser
import GoldfleetSupport
import Orchestrator

struct ResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Bring machines back to freshly provisioned, in seconds.",
        discussion: "Re-clones the named machines (all when none is named) from the gold, syncs the wheelhouse, registers them with juju again and re-adds the units the inventory places on them.")

    @Argument(help: "The inventory file.") var inventory: String
    @Argument(help: "Machines to reset: instance names (`demo-web-1`) or `web-1`.") var machines: [String] = []
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print a machine-readable report.") var json = false
    @Flag(help: "Print per-step timings.") var timings = false
    @Flag(help: "Take over instances of this environment's name that another inventory file made.") var adopt = false

    func run() async throws {
        let inventory = try loadInventory(inventory)
        let progress: any ProgressSink = json ? SilentProgress() : ProgressPrinter()
        let report = try await Interruption.cancellingOnSignal {
            try await connection.withOrchestrator(inventory: inventory, progress: progress) {
                try await $0.reset(inventory, machines: machines, adopt: adopt)
            }
        }
        Reports.printUp(report, json: json, timings: timings)
        if !report.succeeded { throw ExitCode.failure }
    }
}
