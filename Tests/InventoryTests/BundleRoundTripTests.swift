import Foundation
import TestSupport
import Testing
import Yams
@testable import Inventory

/// What `import-bundle` writes is read back as exactly what it meant to write: the same keys and
/// values, by Yams and by goldfleet's own loader, whatever the bundle holds.
@Suite("Bundle import round trip")
struct BundleRoundTripTests {
    /// Checks one bundle; returns false when the importer refused it.
    @discardableResult
    static func checkRoundTrip(_ bundle: String, file: String = "bundle.yaml") throws -> Bool {
        let imported: ImportedInventory
        do {
            imported = try BundleImporter.inventory(yaml: bundle, file: file, environmentName: nil)
        } catch is BundleImportError {
            return false
        }
        let text = YAMLWriter.document(header: imported.header, imported.entries)
        #expect(try HostileYAML.parsedTree(text) == imported.tree, "bundle:\n\(bundle)\nwritten:\n\(text)")
        guard case .mapping(let top) = imported.tree else {
            Issue.record("the importer's inventory is not a mapping")
            return true
        }
        #expect(top.map(\.key) == ["name", "gold", "machines", "juju"])
        let base = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let (inventory, _) = InventoryLoader.validate(yaml: text, file: "imported.yaml", baseDirectory: base)
        if let inventory { expect(inventory, matches: imported.tree, bundle: bundle) }
        return true
    }

    /// The loaded inventory has exactly the model's settings, and nothing else set.
    static func expect(_ inventory: Inventory, matches tree: YAMLValue, bundle: String) {
        func entries(_ value: YAMLValue?) -> [YAMLEntry] {
            if case .mapping(let entries)? = value { return entries }
            return []
        }
        func field(_ value: YAMLValue?, _ key: String) -> YAMLValue? {
            entries(value).first { $0.key == key }?.value
        }
        func text(_ value: YAMLValue?) -> String? {
            switch value {
            case .string(let text)?: text
            case .integer(let number)?: String(number)
            case .boolean(let flag)?: flag ? "true" : "false"
            default: nil
            }
        }
        #expect(inventory.name == text(field(tree, "name")), "\(bundle)")
        #expect(inventory.lxd == LXDSettings())
        #expect(inventory.ssh == SSHSettings())
        #expect(inventory.wheelhouse == nil)
        let groups = entries(field(tree, "machines")).map { group in
            "\(group.key) x\(text(field(group.value, "count")) ?? "1") cpu=\(text(field(group.value, "cpu")) ?? "-") mem=\(text(field(group.value, "memory")) ?? "-") nesting=\(text(field(group.value, "nesting")) ?? "false")"
        }
        var loadedGroups: [String] = []
        for machine in inventory.machines where loadedGroups.last?.hasPrefix(machine.group + " ") != true {
            let count = inventory.machines.filter { $0.group == machine.group }.count
            loadedGroups.append("\(machine.group) x\(count) cpu=\(machine.cpu.map(String.init) ?? "-") mem=\(machine.memory ?? "-") nesting=\(machine.nesting)")
        }
        #expect(loadedGroups == groups, "\(bundle)")
        let juju = field(tree, "juju")
        let apps = entries(field(juju, "applications")).map { app in
            let config = entries(field(app.value, "config")).map { "\($0.key)=\(text($0.value) ?? "?")" }
            let bindings = entries(field(app.value, "bindings")).map { "\($0.key)=\(text($0.value) ?? "?")" }
            let resources = entries(field(app.value, "resources")).map { "\($0.key)=\(text($0.value) ?? "?")" }
            return "\(app.key) \(text(field(app.value, "charm")) ?? "") \(text(field(app.value, "channel")) ?? "-") \(text(field(app.value, "revision")) ?? "-") \(text(field(app.value, "num_units")) ?? "") \(config)"
                + " base=\(text(field(app.value, "base")) ?? "-") constraints=\(text(field(app.value, "constraints")) ?? "-")"
                + " trust=\(text(field(app.value, "trust")) ?? "false") expose=\(text(field(app.value, "expose")) ?? "false") \(bindings) \(resources)"
        }
        let loadedApps = inventory.juju.applications.map { app in
            "\(app.name) \(app.charm) \(app.channel ?? "-") \(app.revision.map(String.init) ?? "-") \(app.numUnits) \(app.config.map(\.description))"
                + " base=\(app.base ?? "-") constraints=\(app.constraints ?? "-")"
                + " trust=\(app.trust) expose=\(app.expose) \(app.bindings.map(\.description)) \(app.resources.map(\.description))"
        }
        #expect(loadedApps == apps, "\(bundle)")
        #expect(inventory.juju.model == inventory.name)
        #expect(inventory.juju.modelConfig == JujuSettings(model: inventory.name).modelConfig)
        guard case .sequence(let relations)? = field(juju, "relations") else {
            #expect(inventory.juju.relations.isEmpty)
            return
        }
        #expect(inventory.juju.relations.count == relations.count)
    }

    @Test("every fixture bundle reads back as the importer's model", arguments: try InventoryFixtures.bundleNames())
    func fixture(_ name: String) throws {
        #expect(try Self.checkRoundTrip(try InventoryFixtures.bundle(name), file: name))
    }

    @Test("constraints, base, trust, expose, bindings and resources read back as the importer wrote them")
    func keptFields() throws {
        let bundle = """
            series: focal
            machines:
              "0": {}
            applications:
              db:
                charm: postgresql
                num_units: 1
                to: ["0"]
                constraints: "cores=2 mem=4G spaces=a,^b"
                trust: true
                expose: yes
                bindings: {"": alpha, "db\\nx: y": beta, admin: "#gamma"}
                resources: {image: 0x10, "x: y": 2, file: ./f}
              sub: {charm: ntp, series: jammy, trust: false}
            """
        #expect(try Self.checkRoundTrip(bundle))
        let imported = try BundleImporter.inventory(yaml: bundle, file: "b.yaml", environmentName: "b")
        let text = YAMLWriter.document(header: imported.header, imported.entries)
        #expect(text.contains("constraints: \"cores=2 mem=4G spaces=a,^b\""), "\(text)")
        #expect(text.contains("expose: true") && text.contains("trust: true") && text.contains("base: ubuntu@22.04"))
    }

    @Test("the issue's injections stay values: tagged options, a description with every line break")
    func reportedInjections() throws {
        let bundles = HostileYAML.bundles(count: 0, seed: 1)
        for bundle in bundles { try Self.checkRoundTrip(bundle) }
        let (text, warnings) = try BundleImporter.importBundle(yaml: bundles[0], file: "b.yaml", environmentName: "b")
        let tree = try HostileYAML.parsedTree(text)
        guard case .mapping(let top) = tree else { Issue.record("not a mapping"); return }
        #expect(top.map(\.key) == ["name", "gold", "machines", "juju"])
        #expect(!text.contains("\nwheelhouse:") && !text.contains("\nssh:") && !text.contains("\nlxd:"))
        #expect(warnings.contains { $0.keyPath == "applications.web.options.port" && $0.message.contains("is not a !!int") })
        let (described, _) = try BundleImporter.importBundle(yaml: bundles[1], file: "b.yaml", environmentName: "b")
        guard case .mapping(let describedTop) = try HostileYAML.parsedTree(described) else { return }
        #expect(describedTop.map(\.key) == ["name", "gold", "machines", "juju"])
        for brk in ["\r", "\u{2028}", "\u{85}"] { #expect(!described.contains(brk)) }
    }

    @Test("generated hostile bundles read back as the importer's model (fixed seed)")
    func generatedBundles() throws {
        var imported = 0
        for bundle in HostileYAML.bundles(count: 300, seed: 20_261_201) {
            if try Self.checkRoundTrip(bundle) { imported += 1 }
        }
        #expect(imported > 20, "most hostile bundles should still import, with warnings")
    }

    @Test("every hostile string survives as a key and as a value, plain or in a flow list")
    func writerRoundTrip() throws {
        var seen = Set<String>()
        let strings = (HostileYAML.strings + HostileYAML.hugeNumbers + HostileYAML.constraints).filter { seen.insert($0).inserted }
            // Yams drops a BOM at the start of any scalar it decodes, escaped or not; the importer
            // reads bundles with Yams too, so it never holds such a value.
            .filter { !$0.hasPrefix("\u{FEFF}") }
        let entries = strings.enumerated().map { index, text in
            YAMLEntry(text, .mapping([
                YAMLEntry("value", .string(text), comment: text),
                YAMLEntry("list", .sequence([.string(text), .string("\(index)")])),
                YAMLEntry("pairs", .sequence([.sequence([.string(text), .string(text)])])),
                YAMLEntry("empty", .mapping([])),
            ]), comment: text)
        }
        for entry in entries {
            let single = YAMLWriter.document(header: [entry.key], [entry])
            #expect(try HostileYAML.parsedTree(single) == YAMLValue.mapping([entry]).withoutComments, "\(single)")
        }
        let document = YAMLWriter.document(header: strings, entries)
        #expect(try HostileYAML.parsedTree(document) == YAMLValue.mapping(entries).withoutComments)
    }

    @Test("comments lose every YAML line break and control character")
    func comments() {
        for brk in HostileYAML.lineBreaks {
            let comment = YAMLWriter.comment("a\(brk)b: 1")
            #expect(comment == "a b: 1" || comment == "a  b: 1")
        }
        #expect(YAMLWriter.comment("\u{FEFF}x\u{0}\u{1B}[2J\u{7F}\u{202E}") == "x  [2J")
        #expect(YAMLWriter.lines("a\rb\u{85}c\u{2028}d\u{2029}e\r\nf\ng") == ["a", "b", "c", "d", "e", "f", "g"])
    }
}
