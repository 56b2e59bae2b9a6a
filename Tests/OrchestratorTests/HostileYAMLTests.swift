import Foundation
import Testing

import Yams
@testable import Inventory
@testable import Orchestrator
import TestSupport

/// YAML written to cost time: alias bombs, huge mappings, deep nesting, oversized input.
/// Each must be validated or refused quickly, with the line that broke the limit.
@Suite("Hostile YAML")
struct HostileYAMLTests {
    /// Generous: the work itself takes milliseconds; the bound only catches a hang.
    static let bound = Duration.seconds(10)

    static func timed<T>(_ body: () -> T) -> (T, Duration) {
        let clock = ContinuousClock()
        var result: T?
        let elapsed = clock.measure { result = body() }
        return (result!, elapsed)
    }

    static func validate(_ yaml: String) -> ((Inventory?, [Diagnostic]), Duration) {
        timed { InventoryLoader.validate(yaml: yaml, file: "bomb.yaml", baseDirectory: "/tmp") }
    }

    /// `a0` is a list of ten scalars, each `aN` a list of ten `aN-1`: `*aD` expands to 10^D nodes.
    static func bomb(depth: Int) -> String {
        var lines = ["anchors:", "  - &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...depth {
            let previous = "*a\(level - 1)"
            lines.append("  - &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("an alias bomb used as a mapping key is refused at the alias, quickly")
    func aliasBombAsKey() {
        let yaml = "name: demo\nmachines: {web: {}}\n" + Self.bomb(depth: 7)
            + "juju:\n  model_config:\n    ? *a7\n    : boom\n"
        let ((inventory, diagnostics), elapsed) = Self.validate(yaml)
        #expect(inventory == nil)
        #expect(elapsed < Self.bound)
        let errors = diagnostics.errors.map(\.description)
        #expect(errors.count == 1)
        #expect(errors.first?.contains("nodes reached through aliases") == true, "\(errors)")
        // The alias that crossed the budget, not the start of the file.
        #expect(diagnostics.errors.first?.line != nil)
        #expect(diagnostics.errors.first.map { ($0.line ?? 0) >= 3 } == true)
    }

    @Test("an alias bomb used as a value is refused too")
    func aliasBombAsValue() {
        let yaml = "name: demo\nmachines: {web: {}}\n" + Self.bomb(depth: 8) + "juju:\n  model_config:\n    k: *a8\n"
        let ((inventory, diagnostics), elapsed) = Self.validate(yaml)
        #expect(inventory == nil)
        #expect(elapsed < Self.bound)
        #expect(diagnostics.errors.first?.message.contains("expands the document past 10000 nodes") == true)
    }

    @Test("a few small aliases are fine")
    func modestAliases() throws {
        let yaml = "name: demo\nmachines:\n  web: &m {count: 2}\n  db: *m\n"
        let inventory = try InventoryLoader.load(yaml: yaml, file: "a.yaml", baseDirectory: "/tmp")
        #expect(inventory.machines.count == 4)
    }

    @Test("40,000 model_config keys validate in linear time", arguments: [20_000, 40_000])
    func manyModelConfigKeys(count: Int) throws {
        var yaml = "name: demo\nmachines: {web: {}}\njuju:\n  model_config:\n"
        for index in 0..<count { yaml += "    key-\(index): value-\(index)\n" }
        let ((inventory, diagnostics), elapsed) = Self.validate(yaml)
        #expect(!diagnostics.hasErrors)
        #expect(inventory?.juju.modelConfig.count == count + JujuSettings.defaultModelConfig.count)
        #expect(elapsed < Self.bound)
    }

    @Test("a duplicate among many keys is found, at the repeat")
    func duplicateAmongMany() {
        var yaml = "name: demo\nmachines: {web: {}}\njuju:\n  model_config:\n"
        for index in 0..<5000 { yaml += "    key-\(index): v\n" }
        yaml += "    key-17: again\n"
        let ((_, diagnostics), _) = Self.validate(yaml)
        #expect(diagnostics.errors.map(\.description) == [
            "bomb.yaml:5005:5: error: duplicate key `key-17` (first at line 22) — hint: a key may appear only once per mapping; merge the entries or rename one"
        ])
    }

    @Test("deep nesting is refused at its line, not recursed into", arguments: [100, 100_000])
    func deepNesting(depth: Int) {
        let yaml = "name: demo\nmachines: {web: {}}\nx: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
        let ((inventory, diagnostics), elapsed) = Self.validate(yaml)
        #expect(inventory == nil)
        #expect(elapsed < Self.bound)
        #expect(diagnostics.errors.count == 1)
        #expect(diagnostics.errors.first?.line == 3)
        // Our limit, or libyaml's own for flow collections, whichever the input reaches first.
        let message = diagnostics.errors.first?.message ?? ""
        #expect(message == "mappings and lists are nested more than 64 levels deep" || message.contains("Maximum nesting level"), "\(message)")
        if depth == 100 { #expect(message == "mappings and lists are nested more than 64 levels deep") }
    }

    @Test("block nesting past the limit is refused at the line that crosses it")
    func deepBlockNesting() {
        var yaml = "name: demo\nmachines: {web: {}}\nx:\n"
        for level in 1...80 { yaml += String(repeating: " ", count: level) + "k:\n" }
        let ((_, diagnostics), _) = Self.validate(yaml)
        #expect(diagnostics.errors.map(\.description) == [
            "bomb.yaml:67:65: error: mappings and lists are nested more than 64 levels deep — hint: an inventory or bundle needs a few levels; flatten the structure"
        ])
    }

    @Test("text over the size limit is refused with the limit named")
    func oversizedText() {
        let yaml = "name: demo\nmachines: {web: {}}\n#" + String(repeating: "x", count: YAMLLimits.maximumBytes) + "\n"
        let ((inventory, diagnostics), elapsed) = Self.validate(yaml)
        #expect(inventory == nil)
        #expect(elapsed < Self.bound)
        #expect(diagnostics.errors.first?.message.contains("at most 10 MB") == true)
    }

    @Test("a file over the size limit is refused without being read")
    func oversizedFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("goldfleet-big-\(UUID().uuidString).yaml").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data("name: demo\n".utf8)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Sparse: 1 GiB on paper, nothing on disk.
        #expect(truncate(path, 1 << 30) == 0)
        let (result, elapsed) = Self.timed { InventoryLoader.validate(path: path) }
        #expect(result.0 == nil)
        #expect(elapsed < Self.bound)
        #expect(result.1.map(\.description) == [
            "\(path): error: it is larger than the limit of 10 MB — hint: goldfleet reads files of at most 10 MB here; is this the right file?"
        ])
    }

    @Test("a file with fifty thousand mistakes lists the first thousand and counts the rest")
    func manyMistakes() {
        var yaml = "name: demo\nmachines: {web: {}}\n"
        for index in 0..<50_000 { yaml += "wheelhous\(index): x\n" }
        let ((inventory, diagnostics), elapsed) = Self.validate(yaml)
        #expect(inventory == nil)
        #expect(elapsed < Self.bound)
        #expect(diagnostics.count == YAMLReader.maximumDiagnostics + 1)
        #expect(diagnostics.last?.description == "bomb.yaml: error: 49000 more problems (49000 errors, 0 warnings) not shown; only the first 1000 are — hint: fix the problems above and validate again")
    }

    @Test("an input just under 10 MB is validated or refused within the bound, by the node limit, at its line")
    func nearLimit() {
        var yaml = "name: demo\nmachines: {web: {}}\njuju:\n  model_config:\n"
        var index = 0
        while yaml.utf8.count < YAMLLimits.maximumBytes - 100 {
            yaml += "    k\(index): v\n"
            index += 1
        }
        let ((_, diagnostics), elapsed) = Self.validate(yaml)
        #expect(elapsed < Self.bound)
        #expect(diagnostics.errors.map(\.description) == [
            "bomb.yaml:75001:5: error: the document has more than 150000 values (aliases expanded); goldfleet reads at most that many — hint: an inventory or bundle has a few hundred; check that this is the file you meant"
        ])
    }
}

/// `YAMLLimits.compose` replaces `Yams.compose`: on ordinary files the trees must be the same,
/// down to tags, styles and marks (every diagnostic's line and column comes from them).
@Suite("YAML composer")
struct YAMLComposerTests {
    static func describe(_ node: Node) -> String {
        let mark = node.mark.map { "@\($0.line):\($0.column)" } ?? "@-"
        switch node {
        case .scalar(let scalar):
            // Resolved, not raw: Yams' duplicate check stores each key's resolved tag on it.
            return "s(\(scalar.string)|\(Resolver.default.resolveTag(of: node).rawValue)|\(scalar.style.rawValue))\(mark)"
        case .sequence(let sequence):
            return "q(\(sequence.tag.rawValue))\(mark)[" + sequence.map(describe).joined(separator: ",") + "]"
        case .mapping(let mapping):
            return "m(\(mapping.tag.rawValue))\(mark){" + mapping.map { describe($0.key) + ":" + describe($0.value) }.joined(separator: ",") + "}"
        case .alias:
            return "alias"
        }
    }

    @Test("every fixture and generated hostile bundle composes to the tree Yams builds")
    func sameTrees() throws {
        var texts = try InventoryFuzzTests.corpus()
        texts.append("a: &x {b: [1, '2', !!str 3, ~]}\nc: *x\nd: |\n  text\ne: !custom v\n")
        // Hostile bundles too: tagged scalars, every line break, huge numbers (import-bundle composes them here).
        texts += HostileYAML.bundles(count: 300, seed: 20_261_202)
        for text in texts {
            let theirs: String?
            do {
                theirs = try Yams.compose(yaml: text).map(Self.describe)
            } catch {
                // What Yams cannot read, the composer refuses too.
                #expect(throws: YAMLLimits.Violation.self, "\(text)") { try YAMLLimits.compose(yaml: text) }
                continue
            }
            #expect(try YAMLLimits.compose(yaml: text).map(Self.describe) == theirs, "\(text)")
        }
        #expect(YAMLLimits.MarkLayout.isExact)
    }

    @Test("a second document and an undefined alias are located errors")
    func documentErrors() {
        #expect(throws: YAMLLimits.Violation(line: 2, column: 1, message: "the file holds more than one YAML document",
                                             hint: "keep one document: remove the `---` line and what follows, or split the file")) {
            try YAMLLimits.compose(yaml: "a: 1\n---\nb: 2\n")
        }
        #expect(throws: YAMLLimits.Violation(line: 1, column: 4, message: "YAML syntax error: found undefined alias",
                                             hint: "define the anchor `&nope` before the alias `*nope` uses it")) {
            try YAMLLimits.compose(yaml: "a: *nope\n")
        }
    }
}

/// Generated hostile inventories: each ends in an inventory or errors (never both, never a
/// crash), quickly, with no control character reaching a diagnostic or the plan.
@Suite("Hostile inventory fuzzing")
struct HostileInventoryFuzzTests {
    @Test("generated hostile inventories validate or fail cleanly, within the bound")
    func generated() {
        let clock = ContinuousClock()
        for text in HostileYAML.templatedInventories(count: 300, seed: 15) {
            var result: (Inventory?, [Diagnostic]) = (nil, [])
            let elapsed = clock.measure {
                result = InventoryLoader.validate(yaml: text, file: "fuzz.yaml", baseDirectory: "/tmp")
            }
            #expect(elapsed < HostileYAMLTests.bound, "\(text)")
            #expect((result.0 != nil) != result.1.hasErrors, "\(text)")
            let shown = result.1.map(\.description).joined() + (result.0.map { Plan.make(for: $0).rendered().dropLast() } ?? "")
            #expect(!shown.unicodeScalars.contains { DiagnosticText.needsEscape($0) && $0 != "\n" }, "\(text)")
            if let inventory = result.0 {
                // What passed must be safe to hand on.
                #expect(!CommandLineSafety.isOptionLike(inventory.ssh.user))
                for app in inventory.juju.applications {
                    #expect(!CommandLineSafety.isOptionLike(app.charm), "\(text)")
                    #expect(!app.config.contains { CommandLineSafety.isOptionLike($0.key) || $0.key.contains("=") }, "\(text)")
                }
                #expect(!inventory.juju.modelConfig.contains { CommandLineSafety.isOptionLike($0.key) })
                for machine in inventory.machines {
                    #expect(WheelhouseRemote.problem(machine.wheelhouse?.remote ?? "~/w", user: inventory.ssh.user) == nil
                            || machine.wheelhouse?.remote == WheelhouseSettings.defaultRemote)
                }
            }
        }
    }
}
