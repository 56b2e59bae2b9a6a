import ArgumentParser
import Foundation
import GoldfleetCore

struct ImportBundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-bundle",
        abstract: "Turn a Juju bundle into an inventory that reproduces its machine layout.",
        discussion: """
            Bundle machine N becomes inventory machine mN. Everything the inventory cannot express \
            (constraints other than cores/mem, series, bindings, …) is listed as a warning.
            """)

    @Argument(help: "The bundle file (bundle.yaml).")
    var bundle: String

    @Option(name: .shortAndLong, help: "Write the inventory here instead of standard output.")
    var output: String?

    @Option(help: "Environment name (default: the bundle's name or file name).")
    var name: String?

    func run() throws {
        guard let data = FileManager.default.contents(atPath: bundle),
              let yaml = String(data: data, encoding: .utf8) else {
            throw ValidationError("cannot read \(bundle) as UTF-8 text")
        }
        let environment = name ?? BundleImporter.suggestedEnvironmentName(yaml: yaml, file: bundle)
        let (inventoryYAML, warnings) = try BundleImporter.importBundle(
            yaml: yaml, file: bundle, environmentName: environment)
        DiagnosticOutput.printToStandardError(warnings)

        // Check the result the way `validate` will, relative to where it is written.
        let target = output ?? "<stdout>"
        let directory = output.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
            ?? FileManager.default.currentDirectoryPath
        let (_, problems) = InventoryLoader.validate(yaml: inventoryYAML, file: target, baseDirectory: directory)
        DiagnosticOutput.printToStandardError(problems)

        if let output {
            try inventoryYAML.write(toFile: output, atomically: true, encoding: .utf8)
            DiagnosticOutput.printToStandardError(
                "wrote \(output) (\(warnings.count) warning\(warnings.count == 1 ? "" : "s")); next: goldfleet plan \(output)")
        } else {
            print(inventoryYAML, terminator: "")
        }
        if problems.hasErrors { throw ExitCode.failure }
    }
}
