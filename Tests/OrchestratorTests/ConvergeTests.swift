import Foundation
import Testing
@testable import Gold
@testable import GoldfleetSupport
@testable import Orchestrator
@testable import SSHKit

/// `up` against in-memory LXD, juju and sshd: what it creates, tags and registers, that a second
/// run changes nothing, and that one machine's failure stays that machine's.
@Suite("Converge: up with fakes")
struct ConvergeTests {
    static let threeWeb = """
        name: demo
        gold: gold/snap1
        machines:
          web: {count: 3}
        juju:
          model: demo
          applications:
            ubuntu: {charm: ubuntu, to: [web]}
        """
    static let names = ["demo-web-1", "demo-web-2", "demo-web-3"]

    @Test("up of 3 machines creates, tags and registers each, and places the application on them")
    func upCreatesTagsRegisters() async throws {
        let lab = try await FakeLab()
        defer { lab.remove() }
        let inventory = try lab.inventory(Self.threeWeb)
        let report = try await lab.orchestrator().up(inventory)

        #expect(report.succeeded, "\(report.json())")
        #expect(await lab.lxd.created.sorted() == Self.names)
        let machines = try await lab.juju().machines()
        #expect(machines.count == 3)
        for name in Self.names {
            let instance = try #require(try await lab.lxd.instance(named: name))
            #expect(instance.isRunning)
            #expect(InstanceTags.isManaged(instance.config))
            #expect(instance.config[InstanceTags.environment] == "demo")
            #expect(instance.config[InstanceTags.inventory] == InventoryOwnership.canonicalPath(inventory.sourceFile))
            #expect(instance.config[InstanceTags.stage] == InstanceTags.ready)
            #expect(instance.config[GoldTags.gold] == "false")
            // The juju machine recorded on the instance is the one juju has at its address.
            let id = try #require(instance.config[InstanceTags.jujuMachine])
            let address = try #require(try await lab.lxd.state(name).ipv4Addresses.first)
            #expect(machines.contains { $0.id == id && $0.matches(host: address) })
            #expect(report.machines.first { $0.name == name }?.jujuMachine == id)
            #expect(lab.shells.host(address)?.authorizedKeys == [FakeLab.jujuKey])
        }
        let ubuntu = try #require(try await lab.juju().status().application("ubuntu"))
        #expect(Set(ubuntu.units.compactMap(\.machine)) == Set(machines.map(\.id)))
    }

    @Test("a second up converges: nothing created, registered, logged in to or deployed")
    func secondUpChangesNothing() async throws {
        let lab = try await FakeLab()
        defer { lab.remove() }
        let inventory = try lab.inventory(Self.threeWeb)
        let first = try await lab.orchestrator().up(inventory)
        #expect(first.succeeded, "\(first.json())")
        let logins = lab.shells.loggedIn.count
        let machines = try await lab.juju().machines()

        let second = try await lab.orchestrator().up(inventory)
        #expect(second.succeeded, "\(second.json())")
        #expect(second.machines.allSatisfy { $0.unchanged })
        #expect(await lab.lxd.created.count == 3)
        #expect(lab.shells.loggedIn.count == logins)
        #expect(try await lab.juju().machines() == machines)
        #expect(second.juju.isEmpty)
        #expect(second.machines.map(\.jujuMachine) == first.machines.map(\.jujuMachine))
    }

    @Test("up refuses a gold whose clones would share host keys and machine-id before creating anything")
    func goldCheckedBeforeCloning() async throws {
        let lab = try await FakeLab()
        defer { lab.remove() }
        await lab.lxd.put(FakeLXD.Instance(name: "gold", config: [GoldTags.gold: "true"], files: [
            "/etc/machine-id": .file(Array("4f1e0c2b9a7d4e8f8c3b2a1d0e9f8a7b\n".utf8)),
            "/etc/ssh/ssh_host_ed25519_key.pub": .file(Array(SSHHostKey.random().openSSHLine.utf8)),
        ]))
        try await lab.lxd.takeSnapshot(of: "gold", as: "snap1")

        let error = await #expect(throws: OrchestratorError.self) {
            _ = try await lab.orchestrator().up(try lab.inventory(Self.threeWeb))
        }
        #expect(error?.message.contains("gold gold: machine-id: ") == true)
        #expect(error?.message.contains("gold gold: ssh host keys: baked in (ssh_host_ed25519_key.pub)") == true)
        #expect(await lab.lxd.created.isEmpty)
        #expect(await lab.controller.model("demo") == nil)  // juju is not asked to make the model either
    }

    enum Breakage: String, CaseIterable, Sendable {
        case lxdCreate, sshd, jujuAddMachine
    }

    @Test("one machine failing does not take the others down, and is reported with its step", arguments: Breakage.allCases)
    func failureIsolated(breakage: Breakage) async throws {
        let lab = try await FakeLab()
        defer { lab.remove() }
        let broken = "demo-web-2"
        switch breakage {
        case .lxdCreate:
            await lab.lxd.fail(.create, for: broken)
        case .sshd:
            // Its sshd never listens: the login fails (after the host key was pinned).
            let shells = lab.shells
            await lab.lxd.onFirstBoot { name, ipv4 in
                let key = SSHHostKey.random()
                if name != broken {
                    shells.listen(ipv4, keys: [key]) { command in
                        SSHExecResult(exitStatus: 0, stdoutBytes: command.contains("\"$HOME\"") ? Array("/home/ubuntu".utf8) : [], stderrBytes: [])
                    }
                }
                return ["/etc/ssh/ssh_host_ed25519_key.pub": .file(Array(key.openSSHLine.utf8))]
            }
        case .jujuAddMachine:
            // The second clone started gets the second address.
            await lab.controller.failAddMachine(host: "192.0.2.11")
        }
        // One at a time, so the broken machine is the second started (its address is known).
        let report = try await lab.orchestrator(parallel: 1).up(try lab.inventory(Self.threeWeb))

        #expect(!report.succeeded)
        let failed = report.machines.filter { $0.failure != nil }
        #expect(failed.map(\.name) == [broken], "\(report.json())")
        let expectedStep: MachineStep = switch breakage {
        case .lxdCreate: .clone
        case .sshd: .login
        case .jujuAddMachine: .register
        }
        #expect(failed.first?.failure?.step == expectedStep.rawValue)
        let cause = switch breakage {
        case .lxdCreate: "injected failure"
        case .sshd: "connection refused"
        case .jujuAddMachine: "Connection timed out"
        }
        #expect(failed.first?.failure?.message.contains(cause) == true, "\(report.json())")
        let healthy = report.machines.filter { $0.failure == nil }
        #expect(healthy.map(\.name) == ["demo-web-1", "demo-web-3"])
        let machines = try await lab.juju().machines()
        #expect(Set(healthy.compactMap(\.jujuMachine)) == Set(machines.map(\.id)))
        #expect(machines.count == 2)
        // The application is placed on the machines that exist; the missing unit is reported.
        let ubuntu = try #require(try await lab.juju().status().application("ubuntu"))
        #expect(ubuntu.units.count == 2)
        #expect(report.errors.contains { $0.step == "deploy ubuntu" && $0.message.contains(broken) })
    }
}
