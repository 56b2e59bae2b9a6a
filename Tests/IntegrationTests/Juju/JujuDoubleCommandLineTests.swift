import Foundation
import Testing
@testable import Inventory
@testable import JujuKit

/// The Juju double as a program: juju's messages, streams and exit codes. No containers needed.
@Suite("Juju double command line", .integrationLane)
struct JujuDoubleCommandLineTests {
    @Test("relations: juju 3.x integrates and has no add-relation; 2.9 is the other way round")
    func relationsOnBothGenerations() async throws {
        for (versionText, command, missing) in [("3.5.4-genericlinux-amd64", "integrate", "add-relation"),
                                                ("2.9.49-ubuntu-amd64", "add-relation", "integrate")] {
            let harness = try await JujuDoubleHarness.make(version: versionText)
            defer { harness.cleanup() }
            let juju = harness.cli()
            try await juju.ensureModel()
            let version = try await juju.version()
            #expect(version.raw == versionText)
            #expect(version.relationCommand == command)
            try await juju.deploy(charm: "wordpress")
            try await juju.deploy(charm: "mysql")
            try await juju.relate("wordpress:db", "mysql", version: version)
            let status = try await juju.status()
            #expect(status.application("wordpress")?.relations == ["db": ["mysql"]])
            #expect(status.application("mysql")?.relations == ["db": ["wordpress"]])

            let wrong = try await harness.run([missing, "-m", "gf", "wordpress", "mysql"])
            #expect(wrong.exitCode == 2)
            #expect(wrong.standardError == "ERROR juju: \"\(missing)\" is not a juju command. See \"juju --help\".\n")
            let viaDriver = await #expect(throws: JujuError.self) {
                try await juju.relate("wordpress", "mysql", version: JujuVersion(parsing: missing == "integrate" ? "3.0.0" : "2.9.0")!)
            }
            #expect(viaDriver?.reason == .unknownCommand)
        }
    }

    @Test("deploy with --constraints, --trust, --bind, --resource, then expose: status says exposed, on 2.9 and 3.x")
    func deployOptionsAndExpose() async throws {
        for versionText in ["3.6.28-genericlinux-amd64", "2.9.21-ubuntu-amd64"] {
            let harness = try await JujuDoubleHarness.make(version: versionText)
            defer { harness.cleanup() }
            let juju = harness.cli()
            try await juju.ensureModel()
            let version = try await juju.version()
            try await juju.deploy(charm: "ubuntu", options: JujuCLI.DeployOptions(
                constraints: "cores=2 mem=4G", trust: true, bind: "alpha db=alpha", resources: [ConfigEntry("image", "3")]),
                version: version)
            #expect(try await juju.status().application("ubuntu")?.exposed == false)
            try await juju.expose("ubuntu")
            try await juju.expose("ubuntu")  // again: no error, as in juju
            #expect(try await juju.status().application("ubuntu")?.exposed == true)
            let missing = await #expect(throws: JujuError.self) { try await juju.expose("nosuch") }
            #expect(missing?.reason == .notFound)
        }
    }

    @Test("deploy --to an unknown machine fails with juju's message and changes nothing")
    func unknownMachine() async throws {
        let harness = try await JujuDoubleHarness.make()
        defer { harness.cleanup() }
        let juju = harness.cli(model: "default")
        let error = await #expect(throws: JujuError.self) { try await juju.deploy(charm: "ubuntu", to: ["5"]) }
        // application.go checkMachinePlacement (juju 2.9 and 3.6), as deploy_test.go expects it.
        #expect(error?.jujuMessage == "cannot deploy \"ubuntu\" to machine 5: machine 5 not found")
        #expect(error?.reason == .notFound)
        #expect(error?.exitCode == 1)
        #expect(try await juju.status().applications.isEmpty)
        let unit = await #expect(throws: JujuError.self) { try await juju.addUnit("ubuntu", to: ["lxd:5"]) }
        #expect(unit?.reason == .notFound)
    }

    @Test("juju missing from PATH: locate says how to install it")
    func jujuMissing() async throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("gft-empty-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let error = #expect(throws: JujuNotFoundError.self) { _ = try JujuCLI.locate(explicit: nil, environment: ["PATH": empty]) }
        #expect(error?.message == "juju not found: no `juju` on PATH (\(empty))")
        #expect(error?.hint?.contains("snap install juju --classic") == true)
        // With the double's directory on PATH, `juju` is found there.
        let double = try JujuDoubleHarness.locateDouble()
        let directory = URL(fileURLWithPath: double).deletingLastPathComponent().path
        #expect(try JujuCLI.locate(explicit: nil, environment: ["PATH": "\(empty):\(directory)"]) == double)
    }

    @Test("usage errors exit 2 with juju's texts; runtime errors exit 1", arguments: [
        (["foo"], Int32(2), "ERROR juju: \"foo\" is not a juju command. See \"juju --help\".\n"),
        (["status", "--bogus"], 2, "ERROR option provided but not defined: --bogus\n"),
        (["add-machine", "-n", "2", "ssh:ubuntu@10.0.0.1"], 2, "ERROR cannot use -n when specifying a placement directive\n"),
        (["add-machine", "ssh:a@b", "else"], 2, "ERROR unrecognized args: [\"else\"]\n"),
        (["deploy"], 2, "ERROR no charm name specified\n"),
        (["status", "-m", "nope", "--format=json"], 1, "ERROR model double:admin/nope not found\n"),
        (["model-config", "-m", "default", "banana"], 1, "ERROR \"banana\" seems to be neither a file nor a key of the currently targeted model: \"admin/default\"\n"),
        (["remove-machine", "-m", "default", "4"], 1, "ERROR removing machine 4 failed: machine 4 not found\n"),
        (["add-model", "default"], 1, "ERROR failed to create new model: model \"default\" for admin already exists (already exists)\n"),
        (["status", "--format=xml"], 2, "ERROR invalid value \"xml\" for option --format: unknown format \"xml\"\n"),
    ] as [([String], Int32, String)])
    func errors(arguments: [String], exitCode: Int32, stderr: String) async throws {
        let harness = try await JujuDoubleHarness.make()
        defer { harness.cleanup() }
        let result = try await harness.run(arguments)
        #expect(result.exitCode == exitCode)
        #expect(result.standardError == stderr)
        #expect(result.standardOutput == "")
    }

    @Test("progress goes to stderr, JSON to stdout, in juju 3.x's shapes")
    func streamsAndShapes() async throws {
        let harness = try await JujuDoubleHarness.make()
        defer { harness.cleanup() }
        let added = try await harness.run(["add-model", "gf"])
        #expect(added.standardOutput == "")
        #expect(added.standardError.hasPrefix("Added 'gf' model"))
        let deployed = try await harness.run(["deploy", "ubuntu", "-m", "gf", "--channel", "22.04/stable", "--revision", "24", "--base", "ubuntu@22.04"])
        #expect(deployed.exitCode == 0)
        #expect(deployed.standardOutput == "")
        #expect(deployed.standardError == """
            Located charm "ubuntu" in charm-hub, channel 22.04/stable
            Deployed "ubuntu" from charm-hub charm "ubuntu", revision 24 in channel 22.04/stable on ubuntu@22.04/stable

            """)
        let models = try await harness.run(["models", "--format=json"])
        let modelList = try JSONSerialization.jsonObject(with: Data(models.standardOutput.utf8)) as? [String: Any]
        #expect(modelList?["current-model"] as? String == "gf")
        #expect(try JujuModel.parseList(models.standardOutput).map(\.shortName) == ["controller", "default", "gf"])
        let status = try await harness.run(["status", "-m", "gf", "--format=json"])
        let body = try JSONSerialization.jsonObject(with: Data(status.standardOutput.utf8)) as? [String: Any]
        #expect(Set(body?.keys.map { $0 } ?? []) == ["model", "machines", "applications", "storage", "controller"])
        // No placement: juju gives the unit a new machine, which a manual model cannot start.
        let parsed = try JujuStatus.parse(status.standardOutput)
        let unit = try #require(parsed.application("ubuntu")?.units.first)
        #expect(unit.name == "ubuntu/0")
        #expect(unit.machine == "0")
        #expect(unit.workloadStatus?.message == "waiting for machine")
        #expect(parsed.machines.first?.machineStatus?.current == "provisioning error")
        // The key juju's ssh uses exists, as after `juju bootstrap`.
        #expect(FileManager.default.fileExists(atPath: "\(harness.jujuData)/ssh/juju_id_rsa"))
        #expect(try harness.publicKey.hasPrefix("ssh-rsa "))
    }

    @Test("concurrent juju processes lose no update (state is guarded by flock)")
    func concurrentProcesses() async throws {
        let harness = try await JujuDoubleHarness.make()
        defer { harness.cleanup() }
        let juju = harness.cli(model: "default")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 { group.addTask { try await juju.deploy(charm: "ubuntu", application: "app\(index)") } }
            try await group.waitForAll()
        }
        let status = try await juju.status()
        #expect(status.applications.map(\.name) == (0..<8).map { "app\($0)" })
    }
}
