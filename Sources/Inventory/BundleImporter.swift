import Foundation
import GoldfleetSupport
import Yams

/// Turns a Juju machine bundle into a goldfleet inventory that reproduces its machine layout.
///
/// Bundle machine `N` becomes inventory machine `mN` (count 1), so after `up` the pairs can be
/// handed to `juju deploy BUNDLE --map-machines=existing,N=ID`. Units without a bundle machine
/// (`new`, no `to:`) get machines named after their application. Whatever cannot be reproduced
/// is reported as a warning naming the key; nothing is dropped silently.
///
/// Bundles come from the internet: the inventory is built as a `YAMLValue` and written only by
/// `YAMLWriter`, so nothing in the bundle can add a key the importer did not mean to write.
public enum BundleImporter {
    /// Real bundles are a few to tens of kilobytes; parsing cost grows with size (Yams takes about
    /// 2 s of CPU per megabyte of small entries in a debug build, half of it its duplicate-key
    /// check), so a bundle is refused past this, before it is parsed.
    public static let maximumBundleBytes = 512 << 10
    /// More applications than any real bundle has; past it the bundle is refused, not imported.
    static let maximumApplications = 1000
    /// Units over all applications.
    static let maximumUnits = 10_000
    /// Machines of the generated inventory (bundle machines plus new ones), each an LXD instance.
    static let maximumMachines = InventoryParser.maximumCount

    public static func importBundle(yaml: String, file: String, environmentName: String? = nil) throws
        -> (inventoryYAML: String, warnings: [Diagnostic])
    {
        let imported = try inventory(yaml: yaml, file: file, environmentName: environmentName)
        return (YAMLWriter.document(header: imported.header, imported.entries), imported.warnings)
    }

    /// What the importer means to write: the inventory as a tree, its header comments, and the
    /// warnings. `importBundle` is exactly this, written by `YAMLWriter`.
    static func inventory(yaml: String, file: String, environmentName: String?) throws -> ImportedInventory {
        guard yaml.utf8.count <= maximumBundleBytes else {
            throw BundleImportError(file: file, diagnostics: [Diagnostic(
                severity: .error, file: file, line: nil, column: nil, keyPath: "",
                message: "the bundle is \(yaml.utf8.count) bytes; import-bundle reads at most \(InputFile.size(maximumBundleBytes))",
                hint: "real bundles are tens of kilobytes; is this the right file?")])
        }
        let reader = YAMLReader(file: file)
        let root: Node?
        do {
            root = try YAMLLimits.compose(yaml: yaml)
        } catch {
            throw BundleImportError(file: file, diagnostics: [YAMLSyntaxDiagnostic.make(from: error, yaml: yaml, file: file)])
        }
        guard let root, case .mapping = root, let top = reader.mapping(root, "") else {
            throw BundleImportError(file: file, diagnostics: [Diagnostic(
                severity: .error, file: file, line: root?.mark?.line, column: root?.mark?.column, keyPath: "",
                message: "expected a bundle (a mapping with `applications:`), got \(root.map(YAMLReader.describe) ?? "an empty file")")])
        }
        let name = environmentName ?? suggestedEnvironmentName(root: root, file: file)
        var bundle = BundleModel(reader: reader, environmentName: name)
        try bundle.read(top, root: root)
        if !reader.diagnostics.hasErrors { bundle.resolvePlacements() }
        // File order, so the messages read top to bottom; whole-file notes first.
        let sorted = reader.diagnostics.enumerated().sorted { a, b in
            (a.element.line ?? 0, a.element.column ?? 0, a.offset) < (b.element.line ?? 0, b.element.column ?? 0, b.offset)
        }.map(\.element)
        if sorted.hasErrors {
            throw BundleImportError(file: file, diagnostics: sorted.filter(\.isError))
        }
        return ImportedInventory(header: bundle.header(file: file), entries: bundle.inventory(), warnings: sorted)
    }

    /// `existing,0=3,1=4` for `juju deploy BUNDLE --map-machines=…`, from bundle machine id → juju machine id.
    public static func machineMap(_ jujuMachineIDs: [String: String]) -> String {
        let pairs = jujuMachineIDs.sorted { a, b in
            switch (Int(a.key), Int(b.key)) {
            case let (x?, y?): x < y
            default: a.key < b.key
            }
        }
        return (["existing"] + pairs.map { "\($0.key)=\($0.value)" }).joined(separator: ",")
    }

    /// The bundle machine id an imported inventory machine stands for: `m3` → `3`.
    public static func bundleMachineID(ofInventoryMachine group: String) -> String? {
        guard group.hasPrefix("m"), group.count > 1, group.dropFirst().allSatisfy(\.isNumber) else { return nil }
        return String(group.dropFirst())
    }

    /// The map for an inventory produced by `importBundle`, from instance name → juju machine id
    /// (what `juju add-machine` reported). Instances not from bundle machines are skipped.
    public static func machineMap(inventory: Inventory, jujuMachineIDs: [String: String]) -> String {
        var map: [String: String] = [:]
        for machine in inventory.machines {
            guard let bundleID = bundleMachineID(ofInventoryMachine: machine.group),
                  let jujuID = jujuMachineIDs[machine.instanceName] else { continue }
            map[bundleID] = jujuID
        }
        return machineMap(map)
    }

    /// An environment name from the bundle's `name:` or the file name, made valid for LXD and juju.
    public static func suggestedEnvironmentName(yaml: String, file: String) -> String {
        suggestedEnvironmentName(root: try? YAMLLimits.compose(yaml: yaml), file: file)
    }

    static func suggestedEnvironmentName(root: Node?, file: String) -> String {
        var candidate = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        if case .mapping(let mapping)? = root, let name = mapping["name"]?.string, !name.isEmpty {
            candidate = name
        }
        if candidate == "bundle" {
            candidate = URL(fileURLWithPath: file).deletingLastPathComponent().lastPathComponent
        }
        var cleaned = String(candidate.lowercased().unicodeScalars.prefix(200).map {
            InstanceName.isAllowed($0) ? Character($0) : "-"
        })
        while cleaned.first.map({ $0 == "-" || $0.isNumber }) == true { cleaned.removeFirst() }
        while cleaned.hasSuffix("-") { cleaned.removeLast() }
        if cleaned.isEmpty { cleaned = "bundle" }
        return String(cleaned.prefix(30)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }
}

/// An imported inventory before it is text: what `YAMLWriter` will write.
struct ImportedInventory {
    var header: [String]
    var entries: [YAMLEntry]
    var warnings: [Diagnostic]

    /// The tree a YAML parser reads back from the written text.
    var tree: YAMLValue { YAMLValue.mapping(entries).withoutComments }
}
