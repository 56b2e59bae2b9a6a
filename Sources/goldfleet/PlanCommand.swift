import ArgumentParser
import GoldfleetCore

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what `goldfleet up` would do for an inventory, without changing anything.")

    @Argument(help: "The inventory file (YAML).")
    var file: String

    func run() throws {
        let (inventory, diagnostics) = InventoryLoader.validate(path: file)
        DiagnosticOutput.printToStandardError(diagnostics)
        guard let inventory, !diagnostics.hasErrors else { throw ExitCode.failure }
        print(Plan.make(for: inventory).rendered(), terminator: "")
    }
}
