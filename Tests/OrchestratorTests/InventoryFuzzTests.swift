import Foundation
import TestSupport
import Testing
@testable import Inventory
@testable import Orchestrator

/// Damaged input must never crash the loader or the importer: every call ends in an inventory,
/// diagnostics, or a typed import error.
@Suite("Inventory fuzzing")
struct InventoryFuzzTests {
    static func corpus() throws -> [String] {
        var texts = try InventoryFixtures.bundleNames().map(InventoryFixtures.bundle)
        for name in ["minimal.yaml", "many-errors.yaml", "cluster.yaml"] {
            texts.append(try String(contentsOfFile: InventoryFixtures.inventoryPath(name), encoding: .utf8))
        }
        for name in ["demo.yaml", "example-full.yaml"] {
            let url = InventoryFixtures.repositoryRoot.appendingPathComponent("inventory/\(name)")
            texts.append(try String(contentsOf: url, encoding: .utf8))
        }
        return texts
    }

    /// Generated hostile bundles (tagged scalars, every line break, huge numbers, option-like
    /// names) and the inventories that stay fast in-process; the slow classes (alias bombs as
    /// keys, 20,000 keys) run as subprocesses under a time limit in `HostileInputProcessTests`.
    static func hostileCorpus() -> [String] {
        HostileYAML.bundles(count: 60, seed: 20_261_203) + HostileYAML.inventories().dropFirst(3)
    }

    /// Runs both entry points on `text` and checks their contracts.
    static func exercise(_ text: String, base: String) {
        let (inventory, diagnostics) = InventoryLoader.validate(yaml: text, file: "fuzz.yaml", baseDirectory: base)
        #expect((inventory != nil) != diagnostics.hasErrors, "\(text)")
        if let inventory { _ = Plan.make(for: inventory).rendered() }
        do {
            let (imported, _) = try BundleImporter.importBundle(yaml: text, file: "fuzz.yaml", environmentName: "fuzz")
            _ = InventoryLoader.validate(yaml: imported, file: "imported.yaml", baseDirectory: base)
        } catch is BundleImportError {
            // Refusing is fine; crashing or throwing anything else is not.
        } catch {
            Issue.record("unexpected error \(error) for input:\n\(text)")
        }
    }

    @Test("truncated and mutated files never crash (time-bounded)")
    func truncatedAndMutated() throws {
        let base = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let corpus = try Self.corpus() + Self.hostileCorpus()
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .milliseconds(2500))
        var generator = HostileYAML.SeededGenerator(state: 20_261_125)
        var runs = 0

        // Every hostile text whole first.
        for text in Self.hostileCorpus() {
            Self.exercise(text, base: base)
            runs += 1
        }
        // Truncations: ~40 cut points spread over each file, so every fixture is covered.
        truncation: for text in corpus {
            let bytes = Array(text.utf8)
            let step = max(1, bytes.count / 40)
            for cut in stride(from: 0, through: bytes.count, by: step) {
                if clock.now > deadline { break truncation }
                Self.exercise(String(decoding: bytes.prefix(cut), as: UTF8.self), base: base)
                runs += 1
            }
        }
        // Random byte mutations until the time is up.
        let alphabet = Array(":-[]{}&*!|>'\"#%@`,? \n\t0123456789abcxyz".utf8) + [0, 0xFF, 0xC3]
        while clock.now < deadline {
            var bytes = Array(corpus[Int.random(in: 0..<corpus.count, using: &generator)].utf8)
            for _ in 0..<Int.random(in: 1...8, using: &generator) where !bytes.isEmpty {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[position] = alphabet.randomElement(using: &generator)!
                case 1: bytes.remove(at: position)
                default: bytes.insert(alphabet.randomElement(using: &generator)!, at: position)
                }
            }
            Self.exercise(String(decoding: bytes, as: UTF8.self), base: base)
            runs += 1
        }
        #expect(runs > 100)
    }
}
