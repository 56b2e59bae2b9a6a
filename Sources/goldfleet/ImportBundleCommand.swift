import ArgumentParser
import Foundation
import GoldfleetSupport
import Inventory

struct ImportBundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-bundle",
        abstract: "Turn a Juju bundle into an inventory that reproduces its machine layout.",
        discussion: """
            Bundle machine N becomes inventory machine mN. Everything the inventory cannot express \
            (constraints other than cores/mem, series, bindings, …) is listed as a warning. \
            Nothing is written when the generated inventory would not validate.
            """)

    @Argument(help: "The bundle file (bundle.yaml).")
    var bundle: String

    @Option(name: .shortAndLong, help: "Write the inventory here instead of standard output.")
    var output: String?

    @Option(help: "Environment name (default: the bundle's name or file name).")
    var name: String?

    func run() throws {
        let yaml = try InputFile.readText(bundle, limit: BundleImporter.maximumBundleBytes)
        let (inventoryYAML, warnings) = try BundleImporter.importBundle(
            yaml: yaml, file: bundle, environmentName: name)
        DiagnosticOutput.printToStandardError(warnings)

        // Check the result the way `validate` will, relative to where it is written.
        let target = output ?? "<stdout>"
        let directory = output.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
            ?? FileManager.default.currentDirectoryPath
        let (_, problems) = InventoryLoader.validate(yaml: inventoryYAML, file: target, baseDirectory: directory)
        DiagnosticOutput.printToStandardError(problems)
        // A half-made inventory is worse than none: `up` on it would fail later, further from the cause.
        if problems.hasErrors { throw CommandLineError.notWritten(bundle: bundle, errors: problems.errors.count) }

        if let output {
            do {
                try inventoryYAML.write(toFile: output, atomically: true, encoding: .utf8)
            } catch {
                throw CommandLineError.cannotWrite(output, reason: (error as NSError).localizedFailureReason ?? error.localizedDescription)
            }
            DiagnosticOutput.printToStandardError(
                "wrote \(output) (\(warnings.count) warning\(warnings.count == 1 ? "" : "s")); next: goldfleet plan \(output)")
        } else {
            print(inventoryYAML, terminator: "")
        }
    }
}
