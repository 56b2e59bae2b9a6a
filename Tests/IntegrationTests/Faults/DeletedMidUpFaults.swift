import Foundation
import Testing
@testable import LXDKit
@testable import Orchestrator

/// Someone deletes one of the machines (`lxc delete --force`) while `up` works on it: that
/// machine fails with its name and step, the others finish, and a re-run makes it again.
@Suite("Fault: machine deleted mid-up", .serialized, .integrationLane)
struct DeletedMidUpFaults {
    @Test("the deleted machine fails at login, the other finishes, a re-run recreates it")
    func deletedAtLogin() async throws {
        try await TestEnvironment.with(machines: "  web: {count: 2}") { env in
            let lxd = try LXDClient(endpoint: .unixSocket(path: Lab.socket))
            defer { Task { try? await lxd.shutdown() } }
            let victim = "\(env.name)-web-2"
            let trigger = FaultTrigger(when: { $0 == .stepStarted(machine: victim, step: .login) }) {
                Fault.runBlocking("/usr/bin/lxc", ["delete", "--force", victim])
            }
            var options = env.orchestrator(lxd).options
            // Long enough for the healthy machine on a loaded host, short for the deleted one.
            options.sshDeadline = .seconds(15)
            let orchestrator = Orchestrator(lxd: lxd, juju: env.juju(), state: env.state, progress: trigger, options: options)
            let report = try await orchestrator.up(try env.inventory())
            #expect(trigger.hasFired)
            #expect(!report.succeeded)
            let failed = try #require(report.machines.first { $0.name == victim })
            #expect(failed.failure?.step == "login")
            #expect(failed.failure?.message.hasPrefix("\(victim): SSH login failed: the instance was deleted by someone else while `up` worked on it (could not reach sshd on ") == true, "\(failed.failure?.message ?? "")")
            #expect(failed.failure?.hint == "run `goldfleet up` again to create it anew")
            #expect(failed.jujuMachine == nil)
            let survivor = try #require(report.machines.first { $0.name == "\(env.name)-web-1" })
            #expect(survivor.failure == nil, "\(report.json())")
            let survivorID = try #require(survivor.jujuMachine)
            #expect(try await lxd.instance(named: victim) == nil)
            #expect(try await env.juju().machines().map(\.id) == [survivorID])

            let rerun = try await env.orchestrator(lxd).up(try env.inventory())
            #expect(rerun.succeeded, "\(rerun.json())")
            let recreated = try #require(rerun.machines.first { $0.name == victim })
            #expect(recreated.steps["clone"] != nil && recreated.jujuMachine != nil)
            #expect(rerun.machines.first { $0.name == survivor.name }?.unchanged == true)
            #expect(try await env.juju().machines().count == 2)
            try await Fault.downLeavesNothing(env, lxd)
        }
    }

    @Test("deleted while its host key is read: fails at once at that step with LXD's answer, not after the SSH deadline")
    func deletedAtHostKey() async throws {
        try await TestEnvironment.with(machines: "  web: {count: 1}") { env in
            let lxd = try LXDClient(endpoint: .unixSocket(path: Lab.socket))
            defer { Task { try? await lxd.shutdown() } }
            let victim = "\(env.name)-web-1"
            let trigger = FaultTrigger(when: { $0 == .stepStarted(machine: victim, step: .hostKey) }) {
                Fault.runBlocking("/usr/bin/lxc", ["delete", "--force", victim])
            }
            let report = try await env.orchestrator(lxd, progress: trigger).up(try env.inventory())
            #expect(trigger.hasFired)
            let failure = try #require(report.machines.first?.failure, "\(report.json())")
            #expect(failure.step == "host-key")
            #expect(failure.message.contains("the instance was deleted by someone else while `up` worked on it"), "\(failure.message)")
            // LXD's own 404 for the instance, not "no SSH host key appeared … within" the deadline.
            #expect(failure.message.contains("Instance not found"), "\(failure.message)")
            try await Fault.downLeavesNothing(env, lxd)
        }
    }
}
