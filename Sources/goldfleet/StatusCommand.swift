import ArgumentParser
import GoldfleetSupport
import Orchestrator

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show an environment's machines: container, IPv4, SSH, wheelhouse and juju state.")

    @OptionGroup var target: EnvironmentArgument
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let inventory = try target.inventory()
        let name = target.name(inventory)
        let report = try await connection.withOrchestrator(inventory: inventory, progress: SilentProgress(), requireJuju: false) {
            try await $0.status(environment: name, inventory: inventory)
        }
        if json { return printJSON(report) }
        guard !report.machines.isEmpty else {
            print("\(name): no machines (bring it up with `goldfleet up INVENTORY`)")
            return
        }
        var table = Table(header: ["MACHINE", "STATE", "IPV4", "MEMBER", "SSH", "WHEELHOUSE", "JUJU", "JUJU STATUS"])
        for machine in report.machines {
            table.rows.append([
                machine.name, machine.state, machine.ipv4 ?? "-", machine.member ?? "-",
                machine.sshReachable ? "up" : "down",
                machine.wheelhouseInSync.map { $0 ? "in sync" : "stale" } ?? "?",
                machine.jujuMachine ?? "-", machine.jujuStatus ?? "-",
            ])
        }
        print("environment \(report.environment), juju model \(report.model ?? "-")")
        print(table.rendered())
        if let error = report.jujuError { print("juju: \(error)") }
        if !report.owners.isEmpty {
            let made = report.owners.keys.sorted().map { "\($0.isEmpty ? "an unrecorded inventory" : $0) made \(report.owners[$0]!.joined(separator: ", "))" }
            print("note: \(report.owners.count) inventory files use the name `\(report.environment)`: \(made.joined(separator: "; "))"
                  + (inventory == nil ? " (give an inventory FILE to see only its machines)" : "; shown: this file's"))
        }
    }
}
