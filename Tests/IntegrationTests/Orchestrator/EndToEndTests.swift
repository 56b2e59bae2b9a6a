import Foundation
import Testing
@testable import Gold
@testable import LXDKit
@testable import Orchestrator

/// `up` → `status` → `up` (no-op) → failure of one machine → converge → `reset` → `down`,
/// against the real LXD daemon, real sshd in real clones, and the Juju double speaking juju 2.9
/// and 3.x in turn.
@Suite("Orchestrator end to end", .serialized, .integrationLane)
struct EndToEndTests {
    static let machines = """
          web: {count: 2}
          db: {nesting: true}
        """
    static let juju = """
          applications:
            ubuntu: {charm: ubuntu, to: [web]}
            postgresql: {charm: postgresql, channel: 14/stable, to: ["lxd:db-1"]}
            ntp: {charm: ntp, num_units: 0}
          relations:
            - [ubuntu, postgresql]
            - [ubuntu, ntp]
        """

    @Test("an environment comes up, converges, survives one broken machine, resets and goes away",
          arguments: ["2.9", "3.x"])
    func lifecycle(jujuLine: String) async throws {
        try await TestEnvironment.with(machines: Self.machines, juju: Self.juju, jujuLine: jujuLine) { env in
            let lxd = try LXDClient(endpoint: .unixSocket(path: Lab.socket))
            defer { Task { try? await lxd.shutdown() } }
            let orchestrator = env.orchestrator(lxd)
            let inventory = try env.inventory()
            let names = ["\(env.name)-db-1", "\(env.name)-web-1", "\(env.name)-web-2"]

            // 1. Up from nothing.
            let first = try await orchestrator.up(inventory)
            try #require(first.succeeded, "\(first.json())")
            #expect(first.machines.map(\.name) == names)
            #expect(first.machines.allSatisfy { $0.ipv4 != nil && $0.jujuMachine != nil && !$0.unchanged })
            let ids = Dictionary(uniqueKeysWithValues: first.machines.map { ($0.name, $0.jujuMachine!) })
            let status = try await env.juju().status()
            let ubuntuMachines = Set(status.application("ubuntu")?.units.compactMap(\.machine) ?? [])
            #expect(ubuntuMachines == [ids["\(env.name)-web-1"]!, ids["\(env.name)-web-2"]!])
            #expect(status.application("postgresql")?.units.first?.machine == "\(ids["\(env.name)-db-1"]!)/lxd/0")
            #expect(status.application("ubuntu")?.relatedApplications == ["postgresql", "ntp"])
            // The subordinate got no units of its own, one on each ubuntu unit.
            #expect(status.application("ntp")?.units.isEmpty == true)
            #expect(status.application("ntp")?.subordinateTo == ["ubuntu"])
            #expect(status.application("ubuntu")?.units.allSatisfy { $0.subordinates.count == 1 } == true)
            let relate = jujuLine == "2.9" ? "add-relation" : "integrate"
            #expect(first.juju.map(\.command).filter { $0.hasPrefix("juju \(relate) ") }.count == 2, "\(first.json())")
            for name in names {
                let tags = try #require(try await lxd.instance(named: name)).config
                #expect(tags[InstanceTags.managedBy] == "goldfleet")
                #expect(tags[InstanceTags.environment] == env.name)
                #expect(tags[InstanceTags.jujuMachine] == ids[name])
                #expect(tags[InstanceTags.stage] == InstanceTags.ready)
            }
            let known = try String(contentsOfFile: env.knownHosts, encoding: .utf8)
            for machine in first.machines { #expect(known.contains(machine.ipv4! + " ssh-ed25519 ")) }

            // 2. Status shows every machine reachable and in sync.
            let shown = try await orchestrator.status(environment: env.name, inventory: inventory)
            #expect(shown.machines.map(\.name) == names)
            #expect(shown.machines.allSatisfy { $0.state == "Running" && $0.sshReachable && $0.wheelhouseInSync == true && $0.jujuStatus != "missing" })

            // 3. A second up only checks.
            let second = try await orchestrator.up(inventory)
            #expect(second.succeeded)
            #expect(second.machines.allSatisfy { $0.unchanged })
            #expect(second.juju.isEmpty)

            // 4. One machine broken: the others still finish, the report names machine and step.
            try Data("new".utf8).write(to: URL(fileURLWithPath: env.wheelhouse + "/pkg9-1.0-py3-none-any.whl"))
            try await Lab.exec(in: "\(env.name)-web-2", "systemctl stop ssh")
            var impatient = orchestrator.options
            impatient.sshDeadline = .seconds(4)
            let quick = Orchestrator(lxd: lxd, juju: env.juju(), state: env.state, options: impatient)
            let broken = try await quick.up(inventory)
            #expect(!broken.succeeded)
            let failed = try #require(broken.machines.first { $0.name == "\(env.name)-web-2" })
            #expect(failed.failure?.step == "login")
            #expect(failed.failure?.message.hasPrefix("\(env.name)-web-2: SSH login failed:") == true)
            #expect(broken.machines.filter { $0.name != "\(env.name)-web-2" }.allSatisfy { $0.failure == nil && $0.steps["wheelhouse"] != nil })

            // 5. Fixed, a re-run converges.
            try await Lab.exec(in: "\(env.name)-web-2", "systemctl start ssh")
            let healed = try await orchestrator.up(inventory)
            #expect(healed.succeeded, "\(healed.json())")

            // 6. Reset one machine: a new clone, a new juju machine, its unit placed again.
            let reset = try await orchestrator.reset(inventory, machines: ["web-1"])
            #expect(reset.succeeded, "\(reset.json())")
            let newID = try #require(reset.machines.first { $0.name == "\(env.name)-web-1" }?.jujuMachine)
            #expect(newID != ids["\(env.name)-web-1"])
            let afterReset = try await env.juju().status()
            let ubuntuAfterReset = Set(afterReset.application("ubuntu")?.units.compactMap(\.machine) ?? [])
            #expect(ubuntuAfterReset.contains(newID))
            #expect(!afterReset.machines.contains { $0.id == ids["\(env.name)-web-1"] })

            // 7. Down removes exactly what goldfleet made.
            let down = try await orchestrator.down(environment: env.name)
            #expect(Set(down.removed.map(\.instance)) == Set(names))
            #expect(down.failures.isEmpty)
            #expect(try await lxd.instances(matchingConfig: [InstanceTags.environment: env.name]).isEmpty)
            #expect(try await env.juju().machines().isEmpty)
            let knownAfter = (try? String(contentsOfFile: env.knownHosts, encoding: .utf8)) ?? ""
            for machine in first.machines { #expect(!knownAfter.contains(machine.ipv4! + " ")) }
            // And again: nothing to do.
            #expect(try await orchestrator.down(environment: env.name).removed.isEmpty)
        }
    }

    @Test("an instance goldfleet does not own blocks up with a clear error and is left untouched")
    func refusesForeignInstance() async throws {
        try await TestEnvironment.with(machines: "  web: {count: 1}") { env in
            let lxd = try LXDClient(endpoint: .unixSocket(path: Lab.socket))
            defer { Task { try? await lxd.shutdown() } }
            let foreign = "\(env.name)-web-1"
            try await Lab.lxc(["copy", Lab.goldSource, foreign, "-c", "\(Lab.testTagKey)=\(Lab.runID)"])
            defer { Task { _ = try? await Lab.lxc(["delete", "--force", foreign], allowFailure: true) } }
            let error = await #expect(throws: OrchestratorError.self) {
                _ = try await env.orchestrator(lxd).up(try env.inventory())
            }
            #expect(error?.message.contains("instance `\(foreign)` already exists and was not created by goldfleet") == true)
            #expect(error?.hint == "nothing was created; fix the problems above and run `goldfleet up` again")
            // down does not touch it either.
            #expect(try await env.orchestrator(lxd).down(environment: env.name).removed.isEmpty)
            #expect(try await lxd.instance(named: foreign) != nil)
        }
    }
}
