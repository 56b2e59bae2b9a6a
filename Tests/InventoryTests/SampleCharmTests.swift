import Foundation
import TestSupport
import Testing

/// The sample charm (charms/sample) the loop's tests and the demo deploy: a principal in the
/// classic hooks form, whose install hook carries the one line a developer edits.
@Suite("Sample charm")
struct SampleCharmTests {
    static let charm = InventoryFixtures.repositoryRoot.appendingPathComponent("charms/sample").path

    @Test("metadata.yaml names a principal charm `sample`")
    func metadata() throws {
        let text = try String(contentsOfFile: Self.charm + "/metadata.yaml", encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains("name: sample"))
        #expect(!lines.contains { $0.hasPrefix("subordinate:") && $0.contains("true") })
    }

    @Test("the hooks juju runs on a new unit and on refresh are executable files")
    func hooks() throws {
        for hook in ["install", "config-changed", "start", "upgrade-charm"] {
            let path = "\(Self.charm)/hooks/\(hook)"
            #expect(FileManager.default.isExecutableFile(atPath: path), "\(path) missing or not executable")
        }
    }

    @Test("install has one MESSAGE line, installs the wheelhouse offline and writes /var/lib/sample/message")
    func install() throws {
        let text = try String(contentsOfFile: Self.charm + "/hooks/install", encoding: .utf8)
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("MESSAGE=") }.count == 1)
        #expect(text.contains("--no-index --find-links wheelhouse/"))
        #expect(text.contains("/var/lib/sample/message"))
    }

    @Test("no wheels are committed (tests build them)")
    func noCommittedWheels() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.charm + "/wheelhouse")
        #expect(!files.contains { $0.hasSuffix(".whl") })
    }
}
