import Foundation
import TestSupport
import Testing
@testable import JujuKit

@Suite("Juju driver: exact command lines")
struct JujuCommandLineTests {
    let juju = "/usr/bin/juju"

    func cli(_ runner: FakeJujuRunner) -> JujuCLI {
        JujuCLI(executable: juju, model: "gf", runner: runner, environment: ["JUJU_DATA": "/tmp/jd"])
    }

    @Test("version and models are client commands without -m")
    func clientCommands() async throws {
        let runner = FakeJujuRunner(bySubcommand: [
            "version": JujuFixtures.ok("3.5.4-ubuntu-amd64\n"),
            "models": JujuFixtures.ok(#"{"models":[{"name":"admin/gf","short-name":"gf"}],"current-model":"gf"}"#),
        ])
        let version = try await cli(runner).version()
        #expect(version.major == 3 && version.minor == 5 && version.patch == 4)
        let models = try await cli(runner).models()
        #expect(models.map(\.shortName) == ["gf"])
        #expect(runner.argvs == [[juju, "version"], [juju, "models", "--format=json"]])
        #expect(runner.commands.allSatisfy { $0.environment == ["JUJU_DATA": "/tmp/jd"] })
    }

    @Test("ensureModel adds the model only when it is missing, without switching to it")
    func ensureModel() async throws {
        let missing = FakeJujuRunner(bySubcommand: ["models": JujuFixtures.ok(#"{"models":[{"name":"admin/default","short-name":"default"}]}"#)])
        #expect(try await cli(missing).ensureModel() == true)
        #expect(missing.argvs.last == [juju, "add-model", "gf", "--no-switch"])

        let present = FakeJujuRunner(bySubcommand: ["models": JujuFixtures.ok(#"{"models":[{"name":"admin/gf","short-name":"gf"}]}"#)])
        #expect(try await cli(present).ensureModel() == false)
        #expect(present.argvs == [[juju, "models", "--format=json"]])
    }

    @Test("every model command carries -m MODEL", arguments: [
        ("machines", ["machines", "-m", "gf", "--format=json"]),
        ("status", ["status", "-m", "gf", "--format=json"]),
        ("remove-machine", ["remove-machine", "-m", "gf", "3", "--no-prompt"]),
        ("remove-machine --force", ["remove-machine", "-m", "gf", "3/lxd/0", "--force", "--no-prompt"]),
        ("remove-machine on 2.9", ["remove-machine", "-m", "gf", "3"]),
        ("remove-application", ["remove-application", "-m", "gf", "ubuntu", "--no-prompt"]),
        ("remove-application on 2.9", ["remove-application", "-m", "gf", "ubuntu"]),
        ("remove-application --force", ["remove-application", "-m", "gf", "sample", "--force", "--no-wait", "--no-prompt"]),
        ("remove-application --force on 2.9", ["remove-application", "-m", "gf", "sample", "--force", "--no-wait"]),
        ("remove-unit", ["remove-unit", "-m", "gf", "ubuntu/1", "--no-prompt"]),
        ("remove-unit on 2.9", ["remove-unit", "-m", "gf", "ubuntu/1"]),
        ("model-config", ["model-config", "-m", "gf", "enable-os-refresh-update=false", "enable-os-upgrade=false"]),
        ("add-unit", ["add-unit", "-m", "gf", "ubuntu", "-n", "2", "--to", "3,lxd:4"]),
        ("integrate", ["integrate", "-m", "gf", "wordpress:db", "mysql"]),
        ("add-relation", ["add-relation", "-m", "gf", "wordpress:db", "mysql"]),
    ])
    func modelCommands(name: String, expected: [String]) async throws {
        let runner = FakeJujuRunner(bySubcommand: [
            "machines": JujuFixtures.ok(JujuFixtures.noMachines),
            "status": JujuFixtures.ok(#"{"model":{"name":"gf"},"machines":{},"applications":{}}"#),
        ])
        let juju = cli(runner)
        switch name {
        case "machines": _ = try await juju.machines()
        case "status": _ = try await juju.status()
        case "remove-machine": try await juju.removeMachine("3", force: false, version: JujuVersion(major: 3, minor: 6))
        case "remove-machine --force": try await juju.removeMachine("3/lxd/0", force: true, version: JujuVersion(major: 3, minor: 6))
        case "remove-machine on 2.9": try await juju.removeMachine("3", force: false, version: JujuVersion(major: 2, minor: 9))
        case "remove-application": try await juju.removeApplication("ubuntu", version: JujuVersion(major: 3, minor: 6))
        case "remove-application on 2.9": try await juju.removeApplication("ubuntu", version: JujuVersion(major: 2, minor: 9))
        case "remove-application --force": try await juju.removeApplication("sample", force: true, version: JujuVersion(major: 3, minor: 6))
        case "remove-application --force on 2.9": try await juju.removeApplication("sample", force: true, version: JujuVersion(major: 2, minor: 9))
        case "remove-unit": try await juju.removeUnit("ubuntu/1", version: JujuVersion(major: 3, minor: 6))
        case "remove-unit on 2.9": try await juju.removeUnit("ubuntu/1", version: JujuVersion(major: 2, minor: 9))
        case "model-config": try await juju.setModelConfig([("enable-os-refresh-update", "false"), ("enable-os-upgrade", "false")])
        case "add-unit": try await juju.addUnit("ubuntu", to: ["3", "lxd:4"], numUnits: 2)
        case "integrate": try await juju.relate("wordpress:db", "mysql", version: JujuVersion(major: 3, minor: 5))
        case "add-relation": try await juju.relate("wordpress:db", "mysql", version: JujuVersion(major: 2, minor: 9))
        default: Issue.record("unknown case \(name)")
        }
        #expect(runner.argvs == [[self.juju] + expected])
    }

    @Test("deploy: placements joined with commas, -n, channel, revision, sorted repeated --config, base")
    func deployEverything() async throws {
        let runner = FakeJujuRunner()
        try await cli(runner).deploy(charm: "postgresql", application: "db", to: ["0", "1", "lxd:2"], numUnits: 3,
                                     channel: "14/stable", revision: 429, config: ["profile": "testing", "experimental": "true"],
                                     base: "ubuntu@22.04")
        #expect(runner.argvs == [[juju, "deploy", "-m", "gf", "postgresql", "db", "-n", "3", "--to", "0,1,lxd:2",
                                  "--channel", "14/stable", "--revision", "429",
                                  "--config", "experimental=true", "--config", "profile=testing", "--base", "ubuntu@22.04"]])
    }

    @Test("deploy with nothing optional is just the charm")
    func deployMinimal() async throws {
        let runner = FakeJujuRunner()
        try await cli(runner).deploy(charm: "ubuntu")
        #expect(runner.argvs == [[juju, "deploy", "-m", "gf", "ubuntu"]])
    }

    @Test("removing without a known version asks `juju version` first")
    func removeAsksVersion() async throws {
        let runner = FakeJujuRunner(bySubcommand: ["version": JujuFixtures.ok("2.9.49-ubuntu-amd64\n")])
        try await cli(runner).removeMachine("4", force: true)
        #expect(runner.argvs == [[juju, "version"], [juju, "remove-machine", "-m", "gf", "4", "--force"]])
    }

    @Test("setModelConfig with no pairs runs nothing")
    func emptyModelConfig() async throws {
        let runner = FakeJujuRunner()
        try await cli(runner).setModelConfig([])
        #expect(runner.commands.isEmpty)
    }

    @Test("relate treats an existing relation as done")
    func relateAlreadyExists() async throws {
        let runner = FakeJujuRunner(bySubcommand: ["integrate": JujuFixtures.error("relation a:juju-info b:juju-info already exists (already exists)")])
        try await cli(runner).relate("a", "b", version: JujuVersion(major: 3, minor: 6))
        #expect(runner.commands.count == 1)
    }
}
