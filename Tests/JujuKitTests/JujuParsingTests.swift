import Foundation
import TestSupport
import Testing
@testable import JujuKit

@Suite("Juju driver: parsing real juju output")
struct JujuParsingTests {
    @Test("`juju machines --format=json` (juju's own test data) with an lxd container")
    func machinesFixture() throws {
        let machines = try JujuMachine.parseList(try JujuFixtures.text("juju-machines-format-json.json"))
        #expect(machines.map(\.id) == ["0", "1"])
        let zero = try #require(machines.first)
        #expect(zero.dnsName == "10.0.0.1")
        #expect(zero.ipAddresses == ["10.0.0.1", "10.0.1.1"])
        #expect(zero.instanceID == "juju-badd06-0")
        #expect(zero.jujuStatus?.current == "started")
        #expect(zero.series == "trusty")
        #expect(zero.hardware == "availability-zone=us-east-1")
        #expect(!zero.isManual)
        let container = try #require(machines[1].containers.first)
        #expect(container.id == "1/lxd/0")
        #expect(container.jujuStatus?.current == "pending")
        #expect(container.dnsName == "10.0.0.3")
        #expect(machines.flatMap(\.flattened).map(\.id) == ["0", "1", "1/lxd/0"])
        #expect(machines[1].matches(host: "10.0.1.2"))
    }

    @Test("`juju status --format=json` from juju 3.6.4 with subordinates")
    func statusWithSubordinates() throws {
        let status = try JujuStatus.parse(try JujuFixtures.text("jubilant-status-subordinates-lxd.json"))
        #expect(status.modelName == "t")
        #expect(status.jujuVersion == "3.6.4")
        #expect(status.machines.map(\.id) == ["1", "2"])
        let machine = try #require(status.machines.first)
        #expect(machine.base == JujuBase(name: "ubuntu", channel: "24.04"))
        #expect(machine.base?.description == "ubuntu@24.04")
        #expect(machine.hostname == "juju-663cb8-1")
        #expect(machine.machineStatus?.message == "Running")
        #expect(machine.jujuStatus?.version == "3.6.4")
        #expect(status.applications.map(\.name) == ["nrpe", "ubun2", "ubuntu"])

        let ubuntu = try #require(status.application("ubuntu"))
        #expect(ubuntu.charmRevision == 26)
        #expect(ubuntu.charmChannel == "latest/stable")
        #expect(ubuntu.status?.current == "active")
        #expect(ubuntu.relations == ["juju-info": ["nrpe"]])
        #expect(ubuntu.relatedApplications == ["nrpe"])
        let unit = try #require(ubuntu.units.first)
        #expect(unit.name == "ubuntu/1")
        #expect(unit.machine == "1")
        #expect(unit.publicAddress == "10.103.56.99")
        #expect(unit.leader)
        #expect(unit.workloadStatus?.current == "active")
        #expect(unit.agentStatus?.current == "idle")
        #expect(unit.subordinates.map(\.name) == ["nrpe/1"])
        #expect(unit.subordinates.first?.workloadStatus?.message == "Nagios server not configured or related")
        #expect(unit.subordinates.first?.machine == nil)

        let nrpe = try #require(status.application("nrpe"))
        #expect(nrpe.subordinateTo == ["ubun2", "ubuntu"])
        #expect(nrpe.units.isEmpty)
        #expect(nrpe.relatedApplications == ["ubun2", "ubuntu"])
        #expect(status.allUnits.map(\.name).sorted() == ["nrpe/1", "nrpe/2", "ubun2/0", "ubuntu/1"])
    }

    @Test("`juju status` error shapes parse and keep the status-error texts")
    func statusErrors() throws {
        let status = try JujuStatus.parse(try JujuFixtures.text("jubilant-status-errors.json"))
        #expect(status.machines.first?.statusError == "machine status error!")
        #expect(status.application("app-failed")?.statusError == "app status error!")
        #expect(status.application("unit-failed")?.units.first?.statusError == "unit status error!")
    }

    @Test("machine ids sort numerically, containers after their host")
    func ordering() throws {
        let machines = try JujuMachine.parseList(#"{"machines":{"10":{},"2":{"containers":{"2/lxd/10":{},"2/lxd/9":{}}},"1":{}}}"#)
        #expect(machines.map(\.id) == ["1", "2", "10"])
        #expect(machines[1].containers.map(\.id) == ["2/lxd/9", "2/lxd/10"])
    }

    @Test("versions from `juju version`", arguments: [
        ("3.5.4-ubuntu-amd64\n", 3, 5, 4, "integrate"),
        ("3.5.4-genericlinux-amd64", 3, 5, 4, "integrate"),
        ("2.9.49-ubuntu-amd64", 2, 9, 49, "add-relation"),
        ("3.6-beta1-ubuntu-amd64", 3, 6, 0, "integrate"),
    ])
    func versions(text: String, major: Int, minor: Int, patch: Int, relation: String) throws {
        let version = try #require(JujuVersion(parsing: text))
        #expect(version.major == major && version.minor == minor && version.patch == patch)
        #expect(version.relationCommand == relation)
        #expect(version.raw == text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test("garbage is not a version")
    func badVersion() {
        #expect(JujuVersion(parsing: "juju: command not found") == nil)
    }

    @Test("`juju models --format=json` with and without short-name")
    func models() throws {
        let models = try JujuModel.parseList(#"{"models":[{"name":"admin/controller","short-name":"controller","model-uuid":"u1","type":"iaas"},{"name":"admin/gf"}],"current-model":"gf"}"#)
        #expect(models.map(\.shortName) == ["controller", "gf"])
        #expect(models.first?.uuid == "u1")
    }

    @Test("unreadable JSON from juju is a JujuError naming the command")
    func unreadable() async throws {
        let runner = FakeJujuRunner(bySubcommand: ["status": JujuFixtures.ok("not json")])
        let error = await #expect(throws: JujuError.self) {
            _ = try await JujuCLI(executable: "juju", model: "gf", runner: runner).status()
        }
        #expect(error?.reason == .unreadableOutput)
        #expect(error?.commandLine == "juju status -m gf --format=json")
    }
}
