import Foundation
import TestSupport
import Testing
@testable import GoldfleetSupport
@testable import Inventory

/// The built `goldfleet` binary on hostile bundles and inventories, as a user runs it: every run
/// ends with exit 0 or 1 (never a signal), within a generous bound, and every inventory
/// `import-bundle` writes reads back as exactly what the importer meant to write.
@Suite("goldfleet on hostile input (subprocess fuzzing)", .serialized)
struct HostileInputProcessTests {
    /// Generous next to the 2 s goal, so a loaded machine does not fail the test; a hang or a
    /// quadratic blow-up still does.
    static let bound: Duration = .seconds(10)

    /// The binary built next to this test bundle (as `Lab.product` finds it for integration tests).
    static var goldfleetPath: String {
        let candidates = [
            Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
        ].map { $0.appendingPathComponent("goldfleet").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    /// Runs goldfleet under `timeout -s KILL` (a hang shows as exit 137, a crash as 128+signal).
    static func goldfleet(_ arguments: [String]) async throws -> (result: ProcessResult, elapsed: Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await SystemProcessRunner().run(
            Command("/usr/bin/timeout", ["-s", "KILL", "30", goldfleetPath] + arguments))
        return (result, clock.now - start)
    }

    static func expectClean(_ run: (result: ProcessResult, elapsed: Duration), _ what: String) {
        #expect([0, 1].contains(run.result.exitCode),
                "\(what): exit \(run.result.exitCode)\n\(run.result.standardError.prefix(2000))")
        #expect(run.elapsed < bound, "\(what) took \(run.elapsed)")
    }

    @Test("import-bundle: exit 0 or 1, in time, and what it writes is what it meant (fixed seed)")
    func importBundle() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.goldfleetPath),
                "build the goldfleet binary first (swift build --build-tests)")
        let directory = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var bundles = HostileYAML.bundles(count: 40, seed: 20_261_202)
        bundles += HostileYAML.slowBundles()
        bundles.append(HostileYAML.hugeBundle(applications: 120_000))
        bundles.append(HostileYAML.compactApplications(25_000))
        bundles.append(HostileYAML.manyUnits(applications: 1000, unitsEach: 10, machines: 1000))
        bundles.append(HostileYAML.hugeBundle(applications: 2, unitsEach: 600))
        var written = 0
        for (index, bundle) in bundles.enumerated() {
            let path = "\(directory)/bundle-\(index).yaml"
            let output = "\(directory)/inventory-\(index).yaml"
            try bundle.write(toFile: path, atomically: true, encoding: .utf8)
            let run = try await Self.goldfleet(["import-bundle", path, "-o", output])
            Self.expectClean(run, "import-bundle of:\n\(bundle.prefix(3000))")
            guard run.result.exitCode == 0 else {
                #expect(!FileManager.default.fileExists(atPath: output), "a failed import wrote \(output)")
                continue
            }
            written += 1
            let text = try String(contentsOfFile: output, encoding: .utf8)
            let meant = try BundleImporter.inventory(yaml: bundle, file: path, environmentName: nil)
            #expect(try HostileYAML.parsedTree(text) == meant.tree, "bundle:\n\(bundle)\nwritten:\n\(text)")
            let validate = try await Self.goldfleet(["validate", output])
            Self.expectClean(validate, "validate of:\n\(text.prefix(3000))")
            #expect(validate.result.exitCode == 0, "import-bundle wrote an inventory validate refuses:\n\(validate.result.standardError)")
        }
        #expect(written > 5)
    }

    @Test("validate: exit 0 or 1, in time, on hostile inventories (alias-bomb keys, 20k keys, deep nesting, every line break)")
    func validate() async throws {
        let directory = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (index, inventory) in HostileYAML.inventories().enumerated() {
            let path = "\(directory)/inventory-\(index).yaml"
            try inventory.write(toFile: path, atomically: true, encoding: .utf8)
            Self.expectClean(try await Self.goldfleet(["validate", path]), "validate of:\n\(inventory.prefix(2000))")
        }
    }

    @Test("import-bundle refuses a directory, a FIFO, a device, non-UTF-8 and a huge file by what they are")
    func unreadableBundles() async throws {
        let directory = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fifo = directory + "/pipe.yaml"
        #expect(mkfifo(fifo, 0o600) == 0)
        let latin1 = directory + "/latin1.yaml"
        _ = FileManager.default.createFile(atPath: latin1, contents: Data("name: caf".utf8 + [0xE9, 0x0A]))
        let huge = directory + "/huge.yaml"
        _ = FileManager.default.createFile(atPath: huge, contents: nil)
        #expect(truncate(huge, 11 << 20) == 0)
        let cases = [
            (directory, "it is a directory"), (fifo, "it is a named pipe (FIFO)"), ("/dev/zero", "it is a character device"),
            (latin1, "it is not UTF-8 text"), (huge, "it is larger than the limit of 512 KB"),
        ]
        for (path, reason) in cases {
            let run = try await Self.goldfleet(["import-bundle", path, "-o", directory + "/out.yaml"])
            Self.expectClean(run, "import-bundle \(path)")
            #expect(run.result.exitCode == 1)
            #expect(run.result.standardError.contains("cannot read \(path): \(reason)"), "\(run.result.standardError)")
            #expect(!run.result.standardError.contains("NSCocoaErrorDomain"))
            #expect(!FileManager.default.fileExists(atPath: directory + "/out.yaml"))
        }
    }

    @Test("an inventory that would not validate is not written, to a file or to standard output")
    func nothingHalfMade() async throws {
        let directory = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/b.yaml"
        // Valid as a bundle; `--name` makes an environment name LXD refuses.
        try "applications:\n  a: {charm: a, num_units: 1}\n".write(toFile: path, atomically: true, encoding: .utf8)
        let output = directory + "/out.yaml"
        let toFile = try await Self.goldfleet(["import-bundle", path, "-o", output, "--name", "Bad_Name"])
        #expect(toFile.result.exitCode == 1)
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(toFile.result.standardError.contains("nothing written"))
        let toStdout = try await Self.goldfleet(["import-bundle", path, "--name", "Bad_Name"])
        #expect(toStdout.result.exitCode == 1)
        #expect(toStdout.result.standardOutput.isEmpty)
    }
}
