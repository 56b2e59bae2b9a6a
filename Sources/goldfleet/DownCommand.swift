import ArgumentParser
import GoldfleetSupport
import Orchestrator

struct DownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "down",
        abstract: "Tear an environment down: its juju machines, its containers, its pinned host keys.",
        discussion: """
            Only instances goldfleet created for this environment (by their `user.goldfleet.*` tags) are touched; \
            anything else on the host is left alone. Given the inventory file, only the instances made from that \
            file are removed; by name, the instances must all come from one inventory file. Safe to repeat.
            """)

    @OptionGroup var target: EnvironmentArgument
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Leave the machines registered in juju.") var keepJuju = false
    @Flag(help: "Print a machine-readable report.") var json = false
    @Flag(help: "Remove the environment's instances whichever inventory file made them.") var adopt = false

    func run() async throws {
        let inventory = try target.inventory()
        let name = target.name(inventory)
        let report = try await Interruption.cancellingOnSignal {
            try await connection.withOrchestrator(inventory: inventory, progress: SilentProgress(), requireJuju: !keepJuju) {
                try await $0.down(environment: name, inventory: inventory?.sourceFile, keepJuju: keepJuju, adopt: adopt)
            }
        }
        if json {
            printJSON(report)
        } else {
            for removed in report.removed {
                let juju = removed.jujuMachine.map { " (juju machine \($0)\(removed.jujuNote.map { ": \($0)" } ?? " removed"))" } ?? ""
                print("removed \(removed.instance)\(juju)")
            }
            for (inventory, instances) in report.leftAlone.sorted(by: { $0.key < $1.key }) {
                print("left \(instances.joined(separator: ", ")) (made from \(inventory.isEmpty ? "an unrecorded inventory" : inventory))")
            }
            for failure in report.failures { print(ErrorOutput.lines(message: failure.message, hint: failure.hint)) }
            print(report.removed.isEmpty && report.failures.isEmpty ? "\(name): nothing to remove" : "\(name): \(report.removed.count) machine(s) removed")
        }
        if !report.failures.isEmpty { throw ExitCode.failure }
    }
}
