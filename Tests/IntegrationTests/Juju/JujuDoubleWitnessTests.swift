import Foundation
import Testing
@testable import GoldfleetSupport
@testable import JujuKit

/// The double as a witness of juju, per juju line: what juju 2.9 and 3.x do (from their source,
/// see Tests/TestSupport/Fixtures/juju/2.9 and 3.6), not what goldfleet sends.
@Suite("Juju double follows juju 2.9 and 3.x", .serialized, .integrationLane)
struct JujuDoubleWitnessTests {
    static let lines = ["2.9", "3.x"]

    @Test("`version`, the relation command of each line, and `relate` on both", arguments: lines)
    func commandSet(line: String) async throws {
        let harness = try await JujuDoubleHarness.make(line: line)
        defer { harness.cleanup() }
        let version = try await harness.run(["version"])
        #expect(version.standardOutput == (line == "2.9" ? "2.9.21-ubuntu-amd64\n" : "3.5.4-genericlinux-amd64\n"))
        _ = try await harness.run(["add-model", "gf", "--no-switch"])
        for app in ["ubuntu", "ntp"] { _ = try await harness.run(["deploy", "-m", "gf", app]) }
        let (present, absent) = line == "2.9" ? ("add-relation", "integrate") : ("integrate", "add-relation")
        let missing = try await harness.run([absent, "-m", "gf", "ubuntu", "ntp"])
        #expect(missing.exitCode == 2)
        #expect(missing.standardError.hasPrefix("ERROR juju: \"\(absent)\" is not a juju command."))
        #expect(try await harness.run([present, "-m", "gf", "ubuntu", "ntp"]).exitCode == 0)
        let again = try await harness.run(["relate", "-m", "gf", "ntp", "ubuntu"])
        #expect(again.exitCode == 1)
        #expect(again.standardError.contains("already exists"))
        #expect(again.standardError.hasSuffix("Use 'juju status --relations' to view the current relations.\n"))
    }

    @Test("deploy: subordinates take no -n and no --to; -n 0 is refused; a principal without placement gets a machine juju cannot start",
          arguments: lines)
    func deployRules(line: String) async throws {
        let harness = try await JujuDoubleHarness.make(line: line)
        defer { harness.cleanup() }
        _ = try await harness.run(["add-model", "gf", "--no-switch"])
        func deploy(_ arguments: [String]) async throws -> ProcessResult { try await harness.run(["deploy", "-m", "gf"] + arguments) }

        for arguments in [["ntp", "-n", "2"], ["ntp", "--to", "0"], ["ntp", "-n", "1", "--to", "lxd:0"]] {
            let refused = try await deploy(arguments)
            #expect(refused.exitCode == 1)
            #expect(refused.standardError == "ERROR cannot use --num-units or --to with subordinate application\n")
        }
        let constrained = try await deploy(["ntp", "--constraints", "mem=1G"])
        #expect(constrained.standardError == "ERROR cannot use --constraints with subordinate application\n")
        let zero = try await deploy(["ubuntu", "-n", "0"])
        #expect(zero.exitCode == 2)
        #expect(zero.standardError == "ERROR --num-units must be a positive integer\n")
        let nowhere = try await deploy(["ubuntu", "u2", "--to", "42"])
        #expect(nowhere.standardError == "ERROR cannot deploy \"u2\" to machine 42: machine 42 not found\n")

        #expect(try await deploy(["ntp"]).exitCode == 0)
        #expect(try await deploy(["ubuntu"]).exitCode == 0)
        let status = try await harness.cli().status()
        #expect(status.application("ntp")?.units.isEmpty == true)
        let unit = try #require(status.application("ubuntu")?.units.first)
        let machine = try #require(status.machines.first { $0.id == unit.machine })
        #expect(machine.machineStatus?.current == "provisioning error")
        #expect(machine.machineStatus?.message == "manual provider cannot start instances")
        #expect(machine.jujuStatus?.current == "pending")
        #expect(unit.workloadStatus?.current == "waiting")
    }

    /// 3.x asks before removing while the model's `mode` is `requires-prompts` (its default);
    /// unattended that is an abort. 2.9 never asks and has no `--no-prompt`.
    @Test("remove-* asks on 3.x unless --no-prompt; 2.9 neither asks nor knows the flag", arguments: lines)
    func removalPrompt(line: String) async throws {
        let harness = try await JujuDoubleHarness.make(line: line)
        defer { harness.cleanup() }
        _ = try await harness.run(["add-model", "gf", "--no-switch"])
        _ = try await harness.run(["deploy", "-m", "gf", "ubuntu"])
        _ = try await harness.run(["deploy", "-m", "gf", "ntp"])
        if line == "2.9" {
            let unknown = try await harness.run(["remove-application", "-m", "gf", "ntp", "--no-prompt"])
            #expect(unknown.exitCode == 2)
            #expect(unknown.standardError == "ERROR option provided but not defined: --no-prompt\n")
            #expect(try await harness.run(["remove-application", "-m", "gf", "ntp"]).exitCode == 0)
        } else {
            let asked = try await harness.run(["remove-application", "-m", "gf", "ntp"])
            #expect(asked.exitCode == 1)
            #expect(asked.standardError == "This command will perform the following actions:\nwill remove application ntp\n\nContinue [y/N]? ERROR application removal: aborted\n")
            let machine = try await harness.run(["remove-machine", "-m", "gf", "0", "--force"])
            #expect(machine.standardError.hasSuffix("Continue [y/N]? ERROR machine removal: aborted\n"))
            #expect(try await harness.run(["remove-application", "-m", "gf", "ntp", "--no-prompt"]).exitCode == 0)
        }
        // The driver passes --no-prompt exactly where juju has it.
        let juju = harness.cli()
        try await juju.removeApplication("ubuntu")
        try await juju.removeMachine("0", force: true)
        #expect(try await juju.status().applications.isEmpty)
        #expect(try await juju.machines().isEmpty)
    }

    @Test("`status --format=json` writes each line's relation shape, and goldfleet reads both", arguments: lines)
    func statusShapes(line: String) async throws {
        let harness = try await JujuDoubleHarness.make(line: line)
        defer { harness.cleanup() }
        _ = try await harness.run(["add-model", "gf", "--no-switch"])
        _ = try await harness.run(["deploy", "-m", "gf", "ubuntu"])
        _ = try await harness.run(["deploy", "-m", "gf", "ntp"])
        _ = try await harness.run(["relate", "-m", "gf", "ubuntu", "ntp"])
        let raw = try await harness.run(["status", "-m", "gf", "--format=json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(raw.standardOutput.utf8)) as? [String: Any])
        let apps = try #require(json["applications"] as? [String: [String: Any]])
        let relations = try #require(apps["ubuntu"]?["relations"] as? [String: [Any]])
        if line == "2.9" {
            #expect(relations["juju-info"] as? [String] == ["ntp"])
            #expect(apps["ubuntu"]?["series"] as? String == "jammy")
            #expect(apps["ubuntu"]?["os"] as? String == "ubuntu")
            #expect(apps["ubuntu"]?["base"] == nil)
        } else {
            let entry = try #require(relations["juju-info"]?.first as? [String: String])
            #expect(entry == ["related-application": "ntp", "interface": "juju-info", "scope": "container"])
            #expect(apps["ubuntu"]?["series"] == nil)
        }
        #expect(apps["ntp"]?["subordinate-to"] as? [String] == ["ubuntu"])
        let status = try await harness.cli().status()
        #expect(status.application("ubuntu")?.relatedApplications == ["ntp"])
        #expect(status.application("ntp")?.subordinateTo == ["ubuntu"])
        #expect(status.application("ubuntu")?.units.first?.subordinates.map(\.name) == ["ntp/0"])
    }

    @Test("add-machine ssh: runs juju's manual-provider sessions in juju's order", arguments: lines)
    func manualProviderSessions(line: String) async throws {
        var harness = try await JujuDoubleHarness.make(line: line)
        defer { harness.cleanup() }
        let log = harness.directory + "/ssh-sessions"
        harness.extraEnvironment["JUJU_DOUBLE_SSH_LOG"] = log
        let session = harness
        try await withLabContainers("juju", count: 1) { containers in
            let container = containers[0]
            try await session.authorize(container)
            try await session.trust(container)
            let added = try await session.run(["add-machine", "-m", "default", "ssh:ubuntu@\(container.ipv4)"])
            #expect(added.exitCode == 0, "\(added.standardError)")
            #expect(added.standardError == "created machine 0\n")
            let sessions = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
            let target = "ubuntu@\(container.ipv4) "
            #expect(sessions.count == 4, "\(sessions)")
            #expect(sessions.allSatisfy { $0.hasPrefix(target) })
            let commands = sessions.map { String($0.dropFirst(target.count)) }
            #expect(commands.prefix(3) == ["sudo -n true", "/bin/bash", "/bin/bash"])
            #expect(commands.last?.hasPrefix("sudo /bin/bash -c '/bin/bash -c \"$(echo ") == true)

            // The same host again: juju stops at the provisioned check (session 2).
            try "".write(toFile: log, atomically: true, encoding: .utf8)
            let again = try await session.run(["add-machine", "-m", "default", "ssh:ubuntu@\(container.ipv4)"])
            #expect(again.standardError == "ERROR machine is already provisioned\n")
            #expect(try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").count == 2)

            let machine = try #require(try await session.cli(model: "default").machines().first)
            if line == "2.9" {
                #expect(machine.series == "bookworm" && machine.base == nil)
            } else {
                #expect(machine.base == JujuBase(name: "debian", channel: "12"))
            }
        }
    }
}
