import Foundation
import Testing
@testable import LXDKit
@testable import Orchestrator

/// `juju add-machine` would fail for one machine: goldfleet's own check catches a missing
/// passwordless sudo before juju; a leftover juju agent is juju's own refusal, explained.
/// Both against the double speaking juju 2.9 and 3.x.
@Suite("Fault: juju add-machine", .serialized, .integrationLane)
struct JujuAddMachineFaults {
    @Test("sudo asking for a password stops that machine at verify with the sudoers hint", arguments: ["2.9", "3.x"])
    func sudoNeedsPassword(jujuLine: String) async throws {
        try await TestEnvironment.with(machines: "  web: {count: 2}", jujuLine: jujuLine) { env in
            let lxd = try LXDClient(endpoint: .unixSocket(path: Lab.socket))
            defer { Task { try? await lxd.shutdown() } }
            let broken = "\(env.name)-web-1"
            // Right after the clone booted, before goldfleet logs in.
            let trigger = FaultTrigger(when: { $0 == .stepStarted(machine: broken, step: .login) }) {
                Fault.runBlocking("/usr/bin/lxc", ["exec", broken, "--", "rm", "-f", "/etc/sudoers.d/90-goldfleet-ubuntu"])
            }
            let orchestrator = Orchestrator(lxd: lxd, juju: env.juju(), state: env.state, progress: trigger, options: env.orchestrator(lxd).options)
            let report = try await orchestrator.up(try env.inventory())
            #expect(trigger.hasFired)
            let failed = try #require(report.machines.first { $0.name == broken })
            #expect(failed.failure?.step == "verify")
            #expect(failed.failure?.message == "\(broken): verifying failed: `sudo -n true` asks for a password on \(broken)")
            #expect(failed.failure?.hint == "juju's manual provider needs passwordless sudo: add `ubuntu ALL=(ALL) NOPASSWD:ALL` in /etc/sudoers.d/ of the gold")
            #expect(failed.jujuMachine == nil)
            let other = try #require(report.machines.first { $0.name == "\(env.name)-web-2" })
            #expect(other.failure == nil && other.jujuMachine != nil, "\(report.json())")
            #expect(try await env.juju().machines().map(\.id) == other.jujuMachine.map { [$0] })

            // Fixed in the machine: the re-run finishes it.
            try await Fault.exec(broken, "echo 'ubuntu ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/90-goldfleet-ubuntu && chmod 440 /etc/sudoers.d/90-goldfleet-ubuntu")
            let rerun = try await env.orchestrator(lxd).up(try env.inventory())
            #expect(rerun.succeeded, "\(rerun.json())")
            try await Fault.downLeavesNothing(env, lxd)
        }
    }

    @Test("a machine that already carries a juju agent fails at register with juju's words and goldfleet's advice",
          arguments: ["2.9", "3.x"])
    func alreadyProvisioned(jujuLine: String) async throws {
        try await TestEnvironment.with(machines: "  web: {count: 2}", jujuLine: jujuLine) { env in
            let lxd = try LXDClient(endpoint: .unixSocket(path: Lab.socket))
            defer { Task { try? await lxd.shutdown() } }
            let broken = "\(env.name)-web-2"
            // What a gold taken from a machine that once was a juju machine carries.
            let trigger = FaultTrigger(when: { $0 == .stepStarted(machine: broken, step: .login) }) {
                Fault.runBlocking("/usr/bin/lxc", ["exec", broken, "--", "sh", "-c", "printf '[Service]\\nExecStart=/bin/true\\n' > /etc/systemd/system/jujud-machine-7.service"])
            }
            let orchestrator = Orchestrator(lxd: lxd, juju: env.juju(), state: env.state, progress: trigger, options: env.orchestrator(lxd).options)
            let report = try await orchestrator.up(try env.inventory())
            #expect(trigger.hasFired)
            let failed = try #require(report.machines.first { $0.name == broken })
            #expect(failed.failure?.step == "register")
            let ipv4 = try #require(failed.ipv4)
            #expect(failed.failure?.message == "\(broken): juju add-machine failed: `\(Lab.product("juju")) add-machine -m \(env.name) ssh:ubuntu@\(ipv4)` failed: machine is already provisioned", "\(failed.failure?.message ?? "")")
            #expect(failed.failure?.hint?.hasPrefix("this host already carries a juju machine agent") == true)
            // Everything before juju was done, so a re-run only needs to redo the registration.
            #expect(failed.steps["wheelhouse"] != nil)
            let other = try #require(report.machines.first { $0.name == "\(env.name)-web-1" })
            #expect(other.failure == nil, "\(report.json())")
            #expect(try await env.juju().machines().map(\.id) == other.jujuMachine.map { [$0] })

            // down removes the half-done machine too (it is tagged), and juju holds nothing of it.
            try await Fault.downLeavesNothing(env, lxd)
        }
    }
}
