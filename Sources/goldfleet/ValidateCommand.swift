import ArgumentParser
import Foundation
import Inventory

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check an inventory file and report every problem in it.",
        discussion: """
            Prints each error and warning as FILE:LINE:COLUMN: severity: key.path: message — hint. \
            Exits with status 1 when there is at least one error; warnings alone do not fail.
            """)

    @Argument(help: "The inventory file (YAML).")
    var file: String

    func run() throws {
        let (inventory, diagnostics) = InventoryLoader.validate(path: file)
        DiagnosticOutput.printToStandardError(diagnostics)
        guard let inventory, !diagnostics.hasErrors else {
            let count = diagnostics.errors.count
            DiagnosticOutput.printToStandardError("\(file): \(count) error\(count == 1 ? "" : "s") found")
            throw ExitCode.failure
        }
        let apps = inventory.juju.applications.count, relations = inventory.juju.relations.count
        print("\(file): OK — \(inventory.machines.count) machine\(inventory.machines.count == 1 ? "" : "s"), "
              + "\(apps) application\(apps == 1 ? "" : "s"), \(relations) relation\(relations == 1 ? "" : "s")"
              + (diagnostics.isEmpty ? "" : " (\(diagnostics.count) warning\(diagnostics.count == 1 ? "" : "s"))"))
    }
}

/// Diagnostics go to standard error so standard output stays clean for results.
enum DiagnosticOutput {
    static func printToStandardError(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics { printToStandardError(diagnostic.description) }
    }

    static func printToStandardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
