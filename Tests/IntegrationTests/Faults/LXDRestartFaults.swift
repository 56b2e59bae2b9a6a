import Foundation
import Testing
@testable import Gold
@testable import GoldfleetSupport
@testable import LXDKit
@testable import Orchestrator

/// The LXD daemon restarts (SIGTERM, as a package upgrade or `systemctl restart` does) while
/// `up` works: its containers keep running, so goldfleet waits for it and finishes; if it stays
/// away, the machines fail naming their step and the daemon, with the fix. Runs on the private
/// solo daemon (`scripts/lab-cluster solo up`): the lab's main daemon is never restarted.
@Suite("Fault: LXD daemon restarted mid-up", .serialized, .integrationLane)
struct LXDRestartFaults {
    static let machines = "  web: {count: 3}"

    @Test("a restart while a machine waits for its IPv4 is ridden out; a re-run converges; down leaves nothing")
    func restartRiddenOut() async throws {
        try await SoloEnvironment.with(machines: Self.machines) { env in
            let lxd = try env.client()
            defer { Task { try? await lxd.shutdown() } }
            let before = try await SoloLab.serverPID(env.endpoint)
            let victim = "\(env.name)-web-1"
            let restart = RestartInFlight()
            let trigger = FaultTrigger(when: { $0 == .stepStarted(machine: victim, step: .address) }) {
                // The daemon goes away while this pipeline is held, and comes back in the
                // background while every pipeline finds it gone.
                restart.stopped(SoloLab.scriptBlocking("stop"), start: SoloLab.scriptInBackground("start"))
            }
            let report = try await env.orchestrator(lxd, progress: trigger).up(try env.inventory())
            #expect(trigger.hasFired)
            let (stopStatus, start) = try #require(restart.value)
            #expect(stopStatus == 0)
            #expect(await start.value == 0)
            #expect(try await SoloLab.serverPID(env.endpoint) != before, "the daemon was not restarted")

            // The held machine met the outage for sure: it rode it out.
            let held = try #require(report.machines.first { $0.name == victim })
            #expect(held.failure == nil && held.jujuMachine != nil, "\(report.json())")
            // Any other is ready, or (a change lost in flight is never repeated) names its step,
            // the daemon, and the fix.
            for machine in report.machines {
                guard let failure = machine.failure else { continue }
                let step = try #require(MachineStep(rawValue: failure.step))
                #expect(failure.message.hasPrefix("\(machine.name): \(step.title) failed: "), "\(failure.message)")
                #expect(failure.message.contains(env.endpoint.socket), "\(failure.message)")
                #expect(failure.hint?.contains("run `goldfleet up` again") == true, "\(failure.message) — hint: \(failure.hint ?? "none")")
            }
            #expect(report.machines.count == 3)
            print("lxd-restart: \(report.machines.filter { $0.failure == nil }.count) of 3 machines rode out the restart; \(report.machines.compactMap(\.failure).map(\.message))")

            try await Self.rerunConvergesThenDownLeavesNothing(env, lxd)
        }
    }

    @Test("LXD that stays away fails each machine naming its step, the socket and the fix; after a start the re-run converges")
    func staysAway() async throws {
        try await SoloEnvironment.with(machines: Self.machines) { env in
            // A short window keeps the test quick; the real default is 30 s.
            let lxd = try env.client(retryPolicy: LXDRetryPolicy(window: .seconds(3)))
            defer { Task { try? await lxd.shutdown() } }
            let victim = "\(env.name)-web-1"
            let trigger = FaultTrigger(when: { $0 == .stepStarted(machine: victim, step: .address) }) {
                _ = SoloLab.scriptBlocking("stop")
            }
            let report = try await env.orchestrator(lxd, progress: trigger).up(try env.inventory())
            #expect(trigger.hasFired)
            #expect(!report.succeeded)

            let held = try #require(report.machines.first { $0.name == victim })
            let failure = try #require(held.failure, "\(report.json())")
            #expect(failure.step == "address")
            // The wait reads the instance (its NIC's MAC, for the DHCP leases), then its state.
            let reads = ["reading instance \(victim)", "reading the state of instance \(victim)"]
            #expect(reads.contains { failure.message.hasPrefix(
                "\(victim): waiting for IPv4 failed: \($0) failed on the LXD socket \(env.endpoint.socket): ") },
                "\(failure.message)")
            #expect(failure.message.hasSuffix("; LXD did not answer again within 3 s"), "\(failure.message)")
            #expect(failure.hint?.hasPrefix("is the LXD daemon running? Start LXD") == true, "\(failure.hint ?? "no hint")")
            #expect(failure.hint?.contains("then run `goldfleet up` again") == true)
            for machine in report.machines {
                let failure = try #require(machine.failure, "\(machine.name) finished although LXD was away: \(report.json())")
                #expect(failure.message.contains("failed on the LXD socket \(env.endpoint.socket)"), "\(failure.message)")
                #expect(failure.hint?.contains("then run `goldfleet up` again") == true, "\(failure.message) — hint: \(failure.hint ?? "none")")
            }

            #expect(await SoloLab.scriptInBackground("start").value == 0)
            let fresh = try env.client()
            defer { Task { try? await fresh.shutdown() } }
            try await Self.rerunConvergesThenDownLeavesNothing(env, fresh)
        }
    }

    @Test("LXD killed while an operation runs forgets it: the wait says the outcome is unknown, naming the action and the socket")
    func killedMidOperation() async throws {
        try await SoloEnvironment.with(machines: Self.machines) { env in
            let lxd = try env.client()
            defer { Task { try? await lxd.shutdown() } }
            let name = "\(env.name)-web-1"
            try await lxd.createInstance(LXDCreateInstance(
                name: name, source: .image(alias: env.endpoint.image), pool: env.endpoint.pool,
                config: [Lab.testTagKey: Lab.runID, InstanceTags.managedBy: InstanceTags.managedByValue, InstanceTags.environment: env.name]))
            try await lxd.start(name)
            let pid = try await SoloLab.serverPID(env.endpoint)
            let command = Task { try await lxd.exec(instance: name, command: ["sleep", "4"]) }
            try await Task.sleep(for: .seconds(1))
            // A crash: no draining of operations, the stale socket refuses connections.
            #expect(kill(pid_t(pid), SIGKILL) == 0)
            #expect(await SoloLab.scriptInBackground("start").value == 0)
            do {
                let result = try await command.value
                Issue.record("the exec finished although its daemon was killed: \(result)")
            } catch let error as LXDError {
                #expect(error.kind == .daemonRestarted, "\(error.message)")
                #expect(error.message.hasPrefix("running `sleep 4` in instance \(name) failed on the LXD socket \(env.endpoint.socket): LXD restarted while operation /1.0/operations/"), "\(error.message)")
                #expect(error.message.hasSuffix("and no longer knows it; whether it finished is unknown"))
                #expect(error.hint?.contains("run `goldfleet up` again") == true)
            }
            // The container itself kept running through the crash.
            #expect(try await lxd.state(name).status == "Running")
        }
    }

    /// The end of both faults: `up` again makes every machine ready with only tagged instances,
    /// then `down` leaves nothing on the daemon and nothing in juju.
    static func rerunConvergesThenDownLeavesNothing(_ env: SoloEnvironment, _ lxd: LXDClient) async throws {
        let rerun = try await env.orchestrator(lxd).up(try env.inventory())
        #expect(rerun.succeeded, "\(rerun.json())")
        #expect(rerun.machines.map(\.name) == (1...3).map { "\(env.name)-web-\($0)" })
        #expect(rerun.machines.allSatisfy { $0.ipv4?.hasPrefix("10.98.0.") == true && $0.jujuMachine != nil })
        let instances = try await env.instances(lxd)
        #expect(instances.count == 3)
        #expect(instances.allSatisfy { InstanceTags.isManaged($0.config) && $0.config[InstanceTags.environment] == env.name })
        #expect(try await env.jujuMachineIDs().sorted() == rerun.machines.compactMap(\.jujuMachine).sorted())

        let down = try await env.orchestrator(lxd).down(environment: env.name)
        #expect(down.failures.isEmpty, "\(down.failures)")
        #expect(try await env.instances(lxd).map(\.name) == [])
        #expect(try await env.jujuMachineIDs() == [])
    }
}

/// What the fault action of `restartRiddenOut` started: the exit status of `stop`, and the
/// `start` still running in the background.
private final class RestartInFlight: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: (Int32, Task<Int32, Never>)?

    func stopped(_ status: Int32, start: Task<Int32, Never>) { lock.withLock { recorded = (status, start) } }
    var value: (Int32, Task<Int32, Never>)? { lock.withLock { recorded } }
}
