import Foundation
import Testing
@testable import Inventory
@testable import JujuKit

/// The Juju driver against the Juju double, which logs in to real containers with real OpenSSH.
@Suite("Juju driver + double on real containers", .serialized, .integrationLane)
struct JujuDoubleMachineTests {
    @Test("add-machine over ssh, idempotent re-add, deploy with placements, relate, remove")
    func fullCycle() async throws {
        let harness = try await JujuDoubleHarness.make()
        defer { harness.cleanup() }
        try await withLabContainers("juju", count: 3) { containers in
            for container in containers {
                try await harness.authorize(container)
                try await harness.trust(container)
            }
            let juju = harness.cli()
            #expect(try await juju.ensureModel() == true)
            #expect(try await juju.ensureModel() == false)
            try await juju.setModelConfig([("enable-os-refresh-update", "false"), ("enable-os-upgrade", "false")])

            // Concurrent add-machine calls: the double serialises its state with flock.
            async let first = juju.addMachine(user: "ubuntu", host: containers[0].ipv4)
            async let second = juju.addMachine(user: "ubuntu", host: containers[1].ipv4)
            let ids = try await [first, second]
            #expect(Set(ids) == ["0", "1"])

            // Re-adding returns the same machine and adds no other.
            #expect(try await juju.addMachine(user: "ubuntu", host: containers[0].ipv4) == ids[0])
            let machines = try await juju.machines()
            #expect(machines.count == 2)
            #expect(machines.map(\.id) == ["0", "1"])
            let machine = try #require(machines.first { $0.id == ids[0] })
            #expect(machine.instanceID == "manual:\(containers[0].ipv4)")
            #expect(machine.dnsName == containers[0].ipv4)
            #expect(machine.jujuStatus?.current == "started")
            #expect(machine.base == JujuBase(name: "debian", channel: "12"))

            // The host carries juju's traces now, as after real provisioning.
            // The double itself, as juju prints it: `created machine N` on stderr, nothing on stdout.
            let direct = try await harness.run(["add-machine", "-m", "gf", "ssh:ubuntu@\(containers[2].ipv4)"])
            #expect(direct.exitCode == 0)
            #expect(direct.standardOutput == "")
            #expect(direct.standardError == "created machine 2\n")
            try await juju.removeMachine("2", force: false)

            let traces = try await JujuDoubleHarness.exec(containers[0], "ls -d /var/lib/juju/agents/machine-\(ids[0]) /etc/systemd/system/jujud-machine-\(ids[0]).service")
            #expect(traces.exitCode == 0)

            try await juju.deploy(charm: "ubuntu", application: "ubuntu", to: ids, numUnits: 2, channel: "stable", base: "ubuntu@22.04")
            try await juju.deploy(charm: "postgresql", application: "db", to: ["lxd:\(ids[1])"], config: ["profile": "testing"])
            let version = try await juju.version()
            try await juju.relate("ubuntu", "db", version: version)
            try await juju.relate("db", "ubuntu", version: version)  // already there: fine

            let status = try await juju.status()
            #expect(status.modelName == "gf")
            let ubuntu = try #require(status.application("ubuntu"))
            #expect(ubuntu.units.map(\.machine) == ids)
            #expect(ubuntu.units.first?.publicAddress == containers[0].ipv4)
            #expect(ubuntu.relatedApplications == ["db"])
            #expect(status.application("db")?.units.first?.machine == "\(ids[1])/lxd/0")
            #expect(status.allMachines.map(\.id).contains("\(ids[1])/lxd/0"))

            // Units pin the machine until --force or until the application is gone.
            let pinned = await #expect(throws: JujuError.self) { try await juju.removeMachine(ids[0], force: false) }
            #expect(pinned?.jujuMessage == "removing machine failed: machine \(ids[0]) has unit(s) \"ubuntu/0\" assigned")
            try await juju.removeApplication("ubuntu")
            try await juju.removeMachine(ids[0], force: false)
            try await juju.removeMachine(ids[1], force: true)
            #expect(try await juju.machines().isEmpty)

            // As with real juju, a removed manual machine leaves its agent traces behind: the same
            // host cannot be added again.
            let again = await #expect(throws: JujuError.self) {
                _ = try await juju.addMachine(user: "ubuntu", host: containers[0].ipv4)
            }
            #expect(again?.reason == .alreadyProvisioned)
            #expect(again?.jujuMessage == "machine is already provisioned")
        }
    }

    @Test("key authentication refused (juju's key not installed) is juju's exact error")
    func keyRefused() async throws {
        let harness = try await JujuDoubleHarness.make()
        defer { harness.cleanup() }
        try await withLabContainers("juju", count: 1) { containers in
            let container = containers[0]
            try await harness.trust(container)
            let error = await #expect(throws: JujuError.self) {
                _ = try await harness.cli(model: "default").addMachine(user: "ubuntu", host: container.ipv4)
            }
            #expect(error?.jujuMessage == "exit status 255 (ubuntu@\(container.ipv4): Permission denied (publickey,password,keyboard-interactive).)")
            #expect(error?.reason == .keyAuthenticationRefused)
            #expect(error?.exitCode == 1)
            #expect(try await harness.cli(model: "default").machines().isEmpty)
        }
    }

    @Test("an untrusted host key stops juju's ssh")
    func hostKeyUnknown() async throws {
        let harness = try await JujuDoubleHarness.make()
        defer { harness.cleanup() }
        try await withLabContainers("juju", count: 1) { containers in
            try await harness.authorize(containers[0])
            _ = try await JujuDoubleHarness.waitForSSH(containers[0])  // sshd up, key deliberately not trusted
            let error = await #expect(throws: JujuError.self) {
                _ = try await harness.cli(model: "default").addMachine(user: "ubuntu", host: containers[0].ipv4)
            }
            #expect(error?.reason == .hostKeyNotTrusted)
            #expect(error?.jujuMessage.hasSuffix("Host key verification failed.)") == true)
        }
    }

    /// juju's InitUbuntuUser: `sudo -n true` fails, so juju logs in again with password auth and a
    /// PTY and runs its init script with sudo, which prompts; unattended nobody answers.
    @Test("sudo that needs a password: juju's fallback login prompts, and the driver says why")
    func sudoNeedsPassword() async throws {
        try await Self.addMachineFails(after: "rm -f /etc/sudoers.d/90-goldfleet-ubuntu") { error, harness, container in
            #expect(error?.jujuMessage.hasPrefix("exit status 124 (the Juju double stopped after 10s at a prompt of `ssh ubuntu@\(container.ipv4) sudo /bin/bash -c …`") == true, "\(error?.jujuMessage ?? "")")
            #expect(error?.reason == .sudoNeedsPassword)
            #expect(error?.hint?.contains("NOPASSWD") == true)
            let direct = try await harness.run(["add-machine", "-m", "default", "ssh:ubuntu@\(container.ipv4)"])
            #expect(direct.standardOutput.contains("[sudo] password for ubuntu:"))
        }
    }

    @Test("a host that already ran a juju agent (a gold that was a juju machine) is refused")
    func alreadyProvisioned() async throws {
        try await Self.addMachineFails(after: "touch /etc/systemd/system/jujud-machine-3.service") { error, harness, container in
            #expect(error?.message == "`\(harness.executable) add-machine -m default ssh:ubuntu@\(container.ipv4)` failed: machine is already provisioned")
            #expect(error?.hint?.contains("rebuild the gold") == true)
            let machines = try await harness.cli(model: "default").machines()
            #expect(machines.isEmpty)
        }
    }

    /// A machine juju's key and host key are set up for, broken by `command` (run as root in it),
    /// then `add-machine`d: `check` gets juju's error.
    static func addMachineFails(
        after command: String,
        _ check: @Sendable (JujuError?, JujuDoubleHarness, LabContainer) async throws -> Void
    ) async throws {
        let harness = try await JujuDoubleHarness.make()
        defer { harness.cleanup() }
        try await withLabContainers("juju", count: 1) { containers in
            let container = containers[0]
            try await harness.authorize(container)
            try await harness.trust(container)
            try await JujuDoubleHarness.exec(container, command, allowFailure: false)
            let error = await #expect(throws: JujuError.self) {
                _ = try await harness.cli(model: "default").addMachine(user: "ubuntu", host: container.ipv4)
            }
            try await check(error, harness, container)
        }
    }
}
