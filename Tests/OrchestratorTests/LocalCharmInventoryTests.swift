import Foundation
import TestSupport
import Testing
@testable import Inventory
@testable import Orchestrator

/// `charm: ./path` in the inventory (issue 17 item 1): a charm directory or a `.charm` archive,
/// resolved against the inventory's directory, checked by validate, deployed by its absolute path.
@Suite("Local charms in the inventory")
struct LocalCharmInventoryTests {
    static func yaml(charm: String) -> String {
        """
        name: dev
        machines:
          web: {count: 1}
        juju:
          applications:
            sample:
              charm: \(charm)
              to: [web]
        """
    }

    /// A `.charm` (zip) holding `files`, written with Python's zipfile like charmcraft's packing.
    static func makeArchive(_ path: String, files: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", "import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], 'w') as z:\n    for n in sys.argv[2:]: z.writestr(n, 'x')\n",
                             path] + files
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test("a charm directory relative to the inventory becomes its absolute path; plan deploys that path")
    func directory() throws {
        let base = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createDirectory(atPath: "\(base)/charms/sample", withIntermediateDirectories: true)
        try "name: sample\n".write(toFile: "\(base)/charms/sample/metadata.yaml", atomically: true, encoding: .utf8)
        let inventory = try InventoryLoader.load(yaml: Self.yaml(charm: "./charms/sample"), file: "dev.yaml", baseDirectory: base)
        let app = try #require(inventory.juju.applications.first)
        #expect(app.charm == "\(base)/charms/sample")
        let deploy = Plan.make(for: inventory).jujuActions.compactMap { action -> [String]? in
            let arguments = action.arguments { _ in "0" }
            return arguments.first == "deploy" ? arguments : nil
        }
        #expect(deploy.first?.dropFirst().first == "\(base)/charms/sample")
    }

    @Test("a .charm archive with metadata.yaml (or only charmcraft.yaml) passes", arguments: ["metadata.yaml", "charmcraft.yaml"])
    func archive(metadata: String) throws {
        let base = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        try Self.makeArchive("\(base)/sample.charm", files: ["hooks/install", metadata])
        let (inventory, diagnostics) = InventoryLoader.validate(yaml: Self.yaml(charm: "./sample.charm"), file: "dev.yaml", baseDirectory: base)
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics.map(\.description))")
        #expect(inventory?.juju.applications.first?.charm == "\(base)/sample.charm")
    }

    @Test("validate names the missing charm, the missing metadata, or a file that is no archive, located")
    func problems() throws {
        let base = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createDirectory(atPath: "\(base)/src", withIntermediateDirectories: true)
        try "".write(toFile: "\(base)/src/README.md", atomically: true, encoding: .utf8)
        try "not a zip".write(toFile: "\(base)/notes.charm", atomically: true, encoding: .utf8)
        try Self.makeArchive("\(base)/empty.charm", files: ["hooks/install"])
        let cases = [
            ("./missing", "dev.yaml:7:14: error: juju.applications.sample.charm: local charm `\(base)/missing` does not exist — hint: fix the path (relative paths start at the inventory's directory), or pack the charm with `charmcraft pack` and point at the .charm file"),
            ("./src", "dev.yaml:7:14: error: juju.applications.sample.charm: local charm directory `\(base)/src` has no metadata.yaml and no charmcraft.yaml — hint: a charm's root holds metadata.yaml (what juju reads) or charmcraft.yaml; is `./src` the charm's top directory?"),
            ("./empty.charm", "dev.yaml:7:14: error: juju.applications.sample.charm: local charm archive `\(base)/empty.charm` has no metadata.yaml and no charmcraft.yaml — hint: a charm's root holds metadata.yaml (what juju reads) or charmcraft.yaml; is `./empty.charm` the charm's top directory?"),
            ("./notes.charm", "dev.yaml:7:14: error: juju.applications.sample.charm: local charm `\(base)/notes.charm` is neither a directory nor a .charm (zip) archive — hint: point `charm:` at the charm's directory or at the .charm file `charmcraft pack` wrote"),
        ]
        for (charm, expected) in cases {
            let (_, diagnostics) = InventoryLoader.validate(yaml: Self.yaml(charm: charm), file: "dev.yaml", baseDirectory: base)
            #expect(diagnostics.filter { $0.severity == .error }.map(\.description) == [expected])
        }
    }

    @Test("Charmhub names stay names")
    func charmhubName() throws {
        let inventory = try InventoryLoader.load(yaml: Self.yaml(charm: "ubuntu"), file: "dev.yaml", baseDirectory: "/nonexistent")
        #expect(inventory.juju.applications.first?.charm == "ubuntu")
    }
}
