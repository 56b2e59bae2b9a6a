import Foundation
import TestSupport
import Testing
@testable import Inventory

/// Bundles found on the internet: numbers that do not fit, values juju would read as options,
/// and sizes meant to exhaust the importer. Each is a located message, never a crash or a hang.
@Suite("Bundle import: hostile input")
struct BundleHostileInputTests {
    static func machineBundle(_ constraints: String) -> String {
        "machines:\n  \"0\":\n    constraints: \"\(constraints)\"\napplications:\n  a: {charm: a, num_units: 1, to: [\"0\"]}\n"
    }

    @Test("out-of-range constraints are located warnings with the range and a fix",
          arguments: ["cores=1e300", "cores=9223372036854775807", "mem=inf", "mem=nan", "mem=1e19G", "cores=-3",
                      "mem=-1G", "cores=nan", "cores=inf", "mem=1e308P", "mem=18446744073709551616", "cores=1025"])
    func outOfRangeConstraint(_ item: String) throws {
        let (inventory, _, warnings) = try BundleImporterTests.importAndLoad(Self.machineBundle(item), file: "c.yaml")
        let warning = try #require(warnings.first { $0.message.contains("`\(item)`") })
        #expect(warning.description.hasPrefix("c.yaml:3:18: warning: machines.0.constraints: constraint `\(item)` is out of range: expected "))
        #expect(warning.hint?.contains("`cpu:`") == true || warning.hint?.contains("`memory:`") == true)
        #expect(inventory.machines.first?.cpu == nil && inventory.machines.first?.memory == nil)
    }

    @Test("constraint numbers: fractions round up, units step down, odd spellings are malformed, never a trap")
    func constraintNumbers() {
        #expect(JujuConstraints(parsing: "cores=1.5 mem=1.5G").cpu == 2)
        #expect(JujuConstraints(parsing: "cores=1.5 mem=1.5G").memory == "1536MiB")
        #expect(JujuConstraints(parsing: "mem=0.001G").memory == "2MiB")
        #expect(JujuConstraints(parsing: "mem=0.0001G").outOfRange.map(\.item) == ["mem=0.0001G"])
        #expect(JujuConstraints(parsing: "mem=1P").memory == "1PiB")
        #expect(JujuConstraints(parsing: "mem=0.5P").memory == "512TiB")
        #expect(JujuConstraints(parsing: "mem=1ß").malformed == ["mem=1ß"])
        #expect(JujuConstraints(parsing: "cores=1e-300").outOfRange.map(\.item) == ["cores=1e-300"])
        #expect(JujuConstraints(parsing: "mem=2P").outOfRange.map(\.item) == ["mem=2P"])
    }

    @Test("YAML integers in every spelling, without overflow traps")
    func integers() {
        #expect(YAMLInteger.value("42") == 42)
        #expect(YAMLInteger.value("+3") == 3)
        #expect(YAMLInteger.value("-1_000") == -1000)
        #expect(YAMLInteger.value("0x1F") == 31)
        #expect(YAMLInteger.value("0o17") == 15)
        #expect(YAMLInteger.value("017") == 15)
        #expect(YAMLInteger.value("0b101") == 5)
        #expect(YAMLInteger.value("1:30") == 90)
        #expect(YAMLInteger.value("1:2:3:4:5:6:7:8:9:10:11:12:13:14") == nil)
        #expect(YAMLInteger.value("99999999999999999999") == nil)
        #expect(YAMLInteger.value("0x-5") == nil)
        #expect(YAMLInteger.value("") == nil)
    }

    @Test("unit counts and revisions that crash Yams's Node.int are located messages",
          arguments: ["num_units: 1:2:3:4:5:6:7:8:9:10:11:12:13:14", "num_units: 9223372036854775808",
                      "num_units: 100000", "num_units: -1", "num_units: 1e300"])
    func hugeUnitCounts(_ field: String) throws {
        let bundle = "applications:\n  a:\n    charm: a\n    \(field)\n"
        let error = try #require(throws: BundleImportError.self) {
            try BundleImporter.importBundle(yaml: bundle, file: "u.yaml", environmentName: "u")
        }
        #expect(error.diagnostics.map(\.description).contains {
            $0.hasPrefix("u.yaml:4:16: error: applications.a.") && $0.contains("expected a unit count from 0 to 1000")
        }, "\(error.diagnostics)")
    }

    @Test("a sexagesimal revision too large for Int is a warning, not a crash")
    func hugeRevision() throws {
        let bundle = "applications:\n  a: {charm: a, num_units: 1, channel: stable, revision: 1:2:3:4:5:6:7:8:9:10:11:12:13:14}\n"
        let (inventory, _, warnings) = try BundleImporterTests.importAndLoad(bundle)
        #expect(inventory.juju.applications.first?.revision == nil)
        #expect(warnings.contains { $0.keyPath == "applications.a.revision" })
    }

    @Test("values juju would read as options are refused, located, with the rule",
          arguments: [
            ("applications:\n  a:\n    charm: --dry-run\n", "3:12", "applications.a.charm", "charm `--dry-run`"),
            ("applications:\n  a:\n    charm: cs:--dry-run\n", "3:12", "applications.a.charm", "charm `--dry-run`"),
            ("applications:\n  a:\n    charm: ch:-x\n", "3:12", "applications.a.charm", "charm `-x`"),
            ("applications:\n  a:\n    charm: a\n    channel: --force\n", "4:14", "applications.a.channel", "channel `--force`"),
            ("applications:\n  a:\n    charm: a\n    options:\n      --trust: x\n", "5:7", "applications.a.options.--trust", "config key `--trust`"),
            ("applications:\n  -a:\n    charm: a\n", "2:3", "applications.-a", "application name `-a`"),
          ])
    func optionLike(_ bundle: String, _ location: String, _ keyPath: String, _ what: String) throws {
        let error = try #require(throws: BundleImportError.self) {
            try BundleImporter.importBundle(yaml: bundle, file: "o.yaml", environmentName: "o")
        }
        #expect(error.diagnostics.map(\.description).contains {
            $0.hasPrefix("o.yaml:\(location): error: \(keyPath): \(what) \(CommandLineSafety.rule)")
        }, "\(error.diagnostics)")
    }

    @Test("past the limits (applications, units, machines) the bundle is refused, located")
    func limits() throws {
        let apps = try #require(throws: BundleImportError.self) {
            try BundleImporter.importBundle(yaml: HostileYAML.hugeBundle(applications: 1001), file: "l.yaml")
        }
        #expect(apps.diagnostics.first?.description.hasPrefix("l.yaml:1:1: error: applications: 1001 applications; goldfleet imports at most 1000") == true)
        let units = try #require(throws: BundleImportError.self) {
            try BundleImporter.importBundle(yaml: HostileYAML.hugeBundle(applications: 11, unitsEach: 1000), file: "l.yaml")
        }
        #expect(units.diagnostics.first?.description.contains("error: applications.app10: the bundle has more than 10000 units") == true)
        let machines = try #require(throws: BundleImportError.self) {
            try BundleImporter.importBundle(yaml: HostileYAML.hugeBundle(applications: 2, unitsEach: 600), file: "l.yaml")
        }
        #expect(machines.diagnostics.first?.description.contains("the inventory would need more than 1000 machines") == true)
    }

    @Test("an import is linear: 10,000 units, 20,000 applications, a 10 MB bundle in seconds, not minutes")
    func linearTime() throws {
        let clock = ContinuousClock()
        let units = HostileYAML.manyUnits(applications: 1000, unitsEach: 10, machines: 1000)
        var elapsed = clock.measure {
            #expect((try? BundleImporter.importBundle(yaml: units, file: "u.yaml", environmentName: "u")) != nil)
        }
        #expect(elapsed < .seconds(10), "10,000 units took \(elapsed)")
        let many = HostileYAML.compactApplications(20_000)
        #expect(many.utf8.count < BundleImporter.maximumBundleBytes)
        elapsed = clock.measure {
            #expect(throws: BundleImportError.self) {
                try BundleImporter.importBundle(yaml: many, file: "h.yaml", environmentName: "h")
            }
        }
        #expect(elapsed < .seconds(10), "20,000 applications took \(elapsed)")
        let huge = HostileYAML.hugeBundle(applications: 120_000)
        #expect(huge.utf8.count > 10_000_000)
        let error = try #require(throws: BundleImportError.self) {
            try BundleImporter.importBundle(yaml: huge, file: "h.yaml", environmentName: "h")
        }
        #expect(error.diagnostics.first?.message.hasSuffix("bytes; import-bundle reads at most 512 KB") == true)
    }

    @Test("placements that index outside a unit list (`b/-1`, `/`, `:`) are warnings, not crashes")
    func oddPlacements() throws {
        let bundle = """
            applications:
              b: {charm: b, num_units: 1}
              c: {charm: c, num_units: 4, to: ["b/-1", "/", ":", "lxd:/"]}
            """
        let (inventory, _, warnings) = try BundleImporterTests.importAndLoad(bundle)
        #expect(inventory.juju.applications.first { $0.name == "c" }?.placements.count == 4)
        #expect(Set(warnings.map(\.keyPath)).isSuperset(of: (0..<4).map { "applications.c.to[\($0)]" }))
    }

    @Test("two machines whose ids clean up to one name, and an app named like a bundle machine, stay distinct")
    func distinctGroups() throws {
        let bundle = """
            machines:
              a.b: {}
              a_b: {}
            applications:
              m5: {charm: x, num_units: 1}
              y: {charm: y, num_units: 2, to: ["5"]}
            """
        let (inventory, text, _) = try BundleImporterTests.importAndLoad(bundle)
        #expect(Set(inventory.machines.map(\.group)) == ["ma-b", "ma-b-2", "m5-new", "m5"], "\(text)")
    }
}
