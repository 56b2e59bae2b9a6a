import ArgumentParser
import GoldfleetSupport

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print an environment as JSON for test frameworks, with the --map-machines value for bundles.")

    @OptionGroup var target: EnvironmentArgument
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print only the `--map-machines=…` argument for `juju deploy BUNDLE`.") var mapMachines = false

    func run() async throws {
        let inventory = try target.inventory()
        let name = target.name(inventory)
        let export = try await connection.withOrchestrator(inventory: inventory, progress: SilentProgress(), requireJuju: false) {
            try await $0.export(environment: name, inventory: inventory)
        }
        print(mapMachines ? "--map-machines=\(export.mapMachines)" : export.json())
    }
}
