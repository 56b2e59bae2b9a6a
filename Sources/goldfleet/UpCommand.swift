import ArgumentParser
import Foundation
import GoldfleetSupport
import Orchestrator

struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Bring an inventory's environment up: clone, verify, sync, register, deploy.",
        discussion: """
            Converges: creates what is missing, resumes what an earlier failure or Ctrl-C left, \
            and only checks machines that are complete. One machine failing does not stop the \
            others; the exit status is non-zero and the summary says what failed and why. \
            What the environment holds that the inventory no longer names (a group shrunk or \
            removed, an application removed) is left and listed, unless --prune.
            """)

    @Argument(help: "The inventory file (YAML).") var inventory: String
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print a machine-readable report on stdout instead of progress lines.") var json = false
    @Flag(help: "Print how long each step took on each machine.") var timings = false
    @Flag(help: "Remove what the inventory no longer names: juju units, applications and machines, then goldfleet's instances of this inventory.") var prune = false
    @Flag(help: "Take over instances of this environment's name that another inventory file made (re-tags them as this inventory's).") var adopt = false

    func run() async throws {
        let inventory = try loadInventory(inventory)
        let progress: any ProgressSink = json ? SilentProgress() : ProgressPrinter()
        let report = try await Interruption.cancellingOnSignal {
            try await connection.withOrchestrator(inventory: inventory, progress: progress) { try await $0.up(inventory, adopt: adopt, prune: prune) }
        }
        Reports.printUp(report, json: json, timings: timings)
        if !report.succeeded { throw ExitCode.failure }
    }
}
