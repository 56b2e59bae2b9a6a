import ArgumentParser
import GoldfleetSupport

struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the environments goldfleet has on this LXD.")

    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let environments = try await connection.withOrchestrator(inventory: nil, progress: SilentProgress(), requireJuju: false) {
            try await $0.environments()
        }
        if json { return printJSON(environments) }
        var table = Table(header: ["ENVIRONMENT", "MACHINES", "RUNNING", "MODEL", "INVENTORY"])
        table.rows = environments.map { [$0.name, String($0.machines), String($0.running), $0.model ?? "-", $0.inventory ?? "-"] }
        print(environments.isEmpty ? "no goldfleet environments" : table.rendered())
    }
}
