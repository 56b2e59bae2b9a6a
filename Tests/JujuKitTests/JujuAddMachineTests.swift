import Foundation
import TestSupport
import Testing
@testable import JujuKit

@Suite("Juju driver: add-machine")
struct JujuAddMachineTests {
    let juju = "/snap/bin/juju"

    @Test("adds ssh:USER@HOST and reads `created machine N` from stderr")
    func addsAndParsesStderr() async throws {
        let runner = FakeJujuRunner(bySubcommand: [
            "machines": JujuFixtures.ok(JujuFixtures.noMachines),
            "add-machine": JujuFixtures.ok("", stderr: "created machine 7\n"),
        ])
        let id = try await JujuCLI(executable: juju, model: "gf", runner: runner).addMachine(user: "ubuntu", host: "10.213.73.20")
        #expect(id == "7")
        #expect(runner.argvs == [
            [juju, "machines", "-m", "gf", "--format=json"],
            [juju, "add-machine", "-m", "gf", "ssh:ubuntu@10.213.73.20"],
        ])
    }

    @Test("a host juju already has is returned without adding it again", arguments: [
        #"{"machines":{"4":{"dns-name":"10.0.0.9","instance-id":"manual:10.0.0.9"}}}"#,
        #"{"machines":{"4":{"ip-addresses":["10.0.0.9"],"instance-id":"juju-1-4"}}}"#,
        #"{"machines":{"4":{"instance-id":"manual:10.0.0.9"}}}"#,
    ])
    func idempotent(machinesJSON: String) async throws {
        let runner = FakeJujuRunner(bySubcommand: ["machines": JujuFixtures.ok(machinesJSON)])
        let id = try await JujuCLI(executable: juju, model: "gf", runner: runner).addMachine(user: "ubuntu", host: "10.0.0.9")
        #expect(id == "4")
        #expect(!runner.argvs.contains { $0.contains("add-machine") })
    }

    @Test("`machine is already provisioned` becomes advice to rebuild the gold")
    func alreadyProvisioned() async throws {
        let runner = FakeJujuRunner(bySubcommand: [
            "machines": JujuFixtures.ok(JujuFixtures.noMachines),
            "add-machine": JujuFixtures.error("machine is already provisioned"),
        ])
        let error = await #expect(throws: JujuError.self) {
            _ = try await JujuCLI(executable: juju, model: "gf", runner: runner).addMachine(user: "ubuntu", host: "10.0.0.9")
        }
        #expect(error?.reason == .alreadyProvisioned)
        #expect(error?.message == "`/snap/bin/juju add-machine -m gf ssh:ubuntu@10.0.0.9` failed: machine is already provisioned")
        #expect(error?.hint?.contains("rebuild the gold") == true)
    }

    @Test("success without the `created machine` line is an unreadable-output error")
    func missingCreatedLine() async throws {
        let runner = FakeJujuRunner(bySubcommand: ["machines": JujuFixtures.ok(JujuFixtures.noMachines)])
        let error = await #expect(throws: JujuError.self) {
            _ = try await JujuCLI(executable: juju, model: "gf", runner: runner).addMachine(user: "ubuntu", host: "h")
        }
        #expect(error?.reason == .unreadableOutput)
    }

    @Test("the created line is found among other stderr lines", arguments: [
        ("created machine 0\n", "0"),
        ("some warning\ncreated machine 12\n", "12"),
        ("created container 3/lxd/1\n", "3/lxd/1"),
        ("nothing here\n", nil),
    ] as [(String, String?)])
    func createdLine(stderr: String, expected: String?) {
        #expect(JujuCLI.createdMachineID(in: stderr) == expected)
    }
}
