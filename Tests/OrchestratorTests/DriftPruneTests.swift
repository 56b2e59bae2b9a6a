import Foundation
import Testing
@testable import Gold
@testable import Orchestrator

/// Drift against in-memory LXD, juju and sshd: after the inventory shrinks, `plan`'s drift names
/// exactly what it no longer names, and `up --prune` removes exactly that.
@Suite("Drift and prune with fakes")
struct DriftPruneTests {
    static let full = """
        name: demo
        gold: gold/snap1
        machines:
          web: {count: 3}
          db: {count: 1}
        juju:
          model: demo
          applications:
            ubuntu: {charm: ubuntu, to: [web]}
            postgresql: {charm: postgresql, to: [db]}
        """
    /// web shrunk to 2, db and postgresql removed.
    static let shrunk = """
        name: demo
        gold: gold/snap1
        machines:
          web: {count: 2}
        juju:
          model: demo
          applications:
            ubuntu: {charm: ubuntu, to: [web]}
        """

    @Test("the drift names exactly the instances, machines and application the inventory dropped")
    func driftIsExact() async throws {
        let lab = try await FakeLab()
        defer { lab.remove() }
        let up = try await lab.orchestrator().up(try lab.inventory(Self.full))
        #expect(up.succeeded, "\(up.json())")
        let ids = Dictionary(uniqueKeysWithValues: up.machines.map { ($0.name, $0.jujuMachine ?? "") })
        // The user's own application on the user's own machine is never drift.
        let mine = try await lab.juju().addMachine(user: "ubuntu", host: "198.51.100.7", known: nil)
        try await lab.juju().deploy(charm: "grafana", application: "grafana", to: [mine], numUnits: 1, channel: nil, revision: nil,
                                    config: [:], base: nil, options: .init(), version: nil)

        // This environment's name, made from another inventory file: never this inventory's drift.
        await lab.lxd.put(FakeLXD.Instance(name: "demo-web-9", status: "Running", config: [
            InstanceTags.managedBy: InstanceTags.managedByValue, InstanceTags.environment: "demo",
            InstanceTags.machine: "web", InstanceTags.inventory: "/elsewhere/demo.yaml"]))

        let drift = await lab.orchestrator().drift(of: try lab.inventory(Self.shrunk))

        #expect(drift.unread.isEmpty)
        #expect(Set(drift.instances.map(\.name)) == ["demo-web-3", "demo-db-1"])
        #expect(Set(drift.jujuMachines) == Set([ids["demo-web-3"]!, ids["demo-db-1"]!]))
        #expect(drift.jujuApplications == ["postgresql"])
        // ubuntu's unit on web-3: the inventory no longer places one there.
        #expect(drift.jujuUnits == ["ubuntu/2"])
    }

    @Test("up --prune removes exactly the drift; up without it only reports it")
    func pruneRemovesExactlyTheDrift() async throws {
        let lab = try await FakeLab()
        defer { lab.remove() }
        let up = try await lab.orchestrator().up(try lab.inventory(Self.full))
        #expect(up.succeeded, "\(up.json())")
        let ids = Dictionary(uniqueKeysWithValues: up.machines.map { ($0.name, $0.jujuMachine ?? "") })
        let shrunk = try lab.inventory(Self.shrunk)

        let reported = try await lab.orchestrator().up(shrunk)
        #expect(reported.succeeded, "\(reported.json())")
        #expect(Set(reported.left?.instances.map(\.name) ?? []) == ["demo-web-3", "demo-db-1"])
        #expect(await lab.lxd.deleted.isEmpty)

        let pruned = try await lab.orchestrator().up(shrunk, prune: true)
        #expect(pruned.succeeded, "\(pruned.json())")
        #expect(Set(await lab.lxd.deleted) == ["demo-web-3", "demo-db-1"])
        #expect(pruned.left?.isEmpty == true)
        let status = try await lab.juju().status()
        #expect(Set(status.machines.map(\.id)) == Set([ids["demo-web-1"]!, ids["demo-web-2"]!]))
        #expect(status.applications.map(\.name) == ["ubuntu"])
        #expect(Set(status.application("ubuntu")?.units.compactMap(\.machine) ?? []) == Set([ids["demo-web-1"]!, ids["demo-web-2"]!]))
        for name in ["demo-web-1", "demo-web-2", "gold"] {
            #expect(try await lab.lxd.instance(named: name) != nil)
        }
    }
}
