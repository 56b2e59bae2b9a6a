import Foundation
import Testing
@testable import LXDKit
@testable import Orchestrator

/// sshd never comes up in one fresh clone (EndToEndTests covers sshd stopped in a converged
/// environment): that machine fails at login after the SSH deadline, the others finish, and
/// once sshd runs the re-run completes it.
@Suite("Fault: sshd down at first up", .serialized, .integrationLane)
struct SSHDownAtFirstUpFaults {
    @Test("a fresh clone without sshd fails at login; the other machine is ready")
    func sshdMaskedInFreshClone() async throws {
        try await TestEnvironment.with(machines: "  web: {count: 2}") { env in
            let lxd = try LXDClient(endpoint: .unixSocket(path: Lab.socket))
            defer { Task { try? await lxd.shutdown() } }
            let broken = "\(env.name)-web-2"
            // As soon as the clone has an address, before goldfleet looks for sshd.
            let trigger = FaultTrigger(when: { $0 == .stepStarted(machine: broken, step: .hostKey) }) {
                Fault.runBlocking("/usr/bin/lxc", ["exec", broken, "--", "systemctl", "mask", "--now", "ssh.service"])
            }
            var options = env.orchestrator(lxd).options
            options.sshDeadline = .seconds(4)
            let orchestrator = Orchestrator(lxd: lxd, juju: env.juju(), state: env.state, progress: trigger, options: options)
            let report = try await orchestrator.up(try env.inventory())
            #expect(trigger.hasFired)
            #expect(!report.succeeded)
            let failed = try #require(report.machines.first { $0.name == broken })
            #expect(failed.failure?.step == "login")
            let ipv4 = try #require(failed.ipv4)
            #expect(failed.failure?.message.hasPrefix("\(broken): SSH login failed: could not reach sshd on \(ipv4):22 within ") == true, "\(failed.failure?.message ?? "")")
            #expect(failed.failure?.hint == "check that the machine is running and sshd listens on port 22, or raise the connect deadline")
            #expect(failed.jujuMachine == nil)
            let other = try #require(report.machines.first { $0.name == "\(env.name)-web-1" })
            #expect(other.failure == nil && other.jujuMachine != nil, "\(report.json())")
            #expect(try await env.juju().machines().map(\.id) == other.jujuMachine.map { [$0] })
            // The failure is also what the progress showed.
            #expect(trigger.recorded.events.contains { if case .machineFailed(broken, .login, _) = $0 { true } else { false } })

            try await Fault.exec(broken, "systemctl unmask ssh.service && systemctl start ssh.service")
            let rerun = try await env.orchestrator(lxd).up(try env.inventory())
            #expect(rerun.succeeded, "\(rerun.json())")
            #expect(rerun.machines.first { $0.name == broken }?.steps["clone"] == nil)
            #expect(try await env.juju().machines().count == 2)
            try await Fault.downLeavesNothing(env, lxd)
        }
    }
}
