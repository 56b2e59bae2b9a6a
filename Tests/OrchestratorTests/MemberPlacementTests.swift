import Foundation
import Testing
@testable import Inventory
@testable import LXDKit
@testable import Orchestrator

@Suite("Member placement")
struct MemberPlacementTests {
    static func machines(_ yaml: String) throws -> [MachineSpec] {
        try InventoryLoader.load(yaml: "name: t\nmachines:\n" + yaml, file: "t.yaml", baseDirectory: "/tmp").machines
    }

    static let three = [
        LXDClusterMember(name: "c2", status: "Online", url: "https://10.99.0.12:8443"),
        LXDClusterMember(name: "c1", status: "Online", url: "https://10.99.0.11:8443"),
        LXDClusterMember(name: "c3", status: "Online", url: "https://10.99.0.13:8443"),
    ]

    static func members(offline: String) -> [LXDClusterMember] {
        three.map { var member = $0; if member.name == offline { member.status = "Offline" }; return member }
    }

    static func members(of placement: MemberPlacement, _ names: [String]) -> [String?] {
        names.map { placement[$0]?.member }
    }

    @Test("round-robin goes over the members in name order; targets go where they say")
    func roundRobin() throws {
        let specs = try Self.machines("  web: {count: 4}\n  db: {target: c3}\n")
        let placement = MemberPlacement.decide(specs, members: Self.three, instances: [], spread: .roundRobin)
        #expect(Self.members(of: placement, ["t-web-1", "t-web-2", "t-web-3", "t-web-4", "t-db-1"]) == ["c1", "c2", "c3", "c1", "c3"])
    }

    @Test("existing instances keep their member, and round-robin does not move the others on a re-run")
    func existingKeepTheirMember() throws {
        let specs = try Self.machines("  web: {count: 3}\n")
        let existing = [LXDInstance(name: "t-web-1", status: "Running", location: "c3")]
        let placement = MemberPlacement.decide(specs, members: Self.three, instances: existing, spread: .roundRobin)
        #expect(Self.members(of: placement, ["t-web-1", "t-web-2", "t-web-3"]) == ["c3", "c2", "c3"])
    }

    @Test("fewest-instances fills the emptiest member first, ties by name")
    func fewestInstances() throws {
        let specs = try Self.machines("  web: {count: 3}\n  db: {target: c1}\n")
        let others = [
            LXDInstance(name: "x1", status: "Running", location: "c1"),
            LXDInstance(name: "x2", status: "Running", location: "c2"),
            LXDInstance(name: "x3", status: "Running", location: "c2"),
        ]
        let placement = MemberPlacement.decide(specs, members: Self.three, instances: others, spread: .fewestInstances)
        // c3 has none; then c1 (1) vs c3 (1) → c1; then c1 has 2, c2 2, c3 1 → c3. db: c1 (targeted).
        #expect(Self.members(of: placement, ["t-web-1", "t-web-2", "t-web-3", "t-db-1"]) == ["c3", "c1", "c3", "c1"])
    }

    @Test("an offline member gets no new machines; machines bound to it fail with its name")
    func offlineMember() throws {
        let specs = try Self.machines("  web: {count: 3}\n  db: {target: c2}\n  old: {}\n")
        let existing = [LXDInstance(name: "t-old-1", status: "Error", location: "c2")]
        let placement = MemberPlacement.decide(specs, members: Self.members(offline: "c2"), instances: existing, spread: .roundRobin)
        #expect(Self.members(of: placement, ["t-web-1", "t-web-2", "t-web-3"]) == ["c1", "c3", "c1"])
        guard case .unavailable(let targeted) = placement["t-db-1"], case .unavailable(let kept) = placement["t-old-1"] else {
            Issue.record("machines on c2 must not be placed: \(placement)")
            return
        }
        #expect(targeted.message == "t-db-1: member c2 is OFFLINE")
        #expect(targeted.hint?.contains("change this machine's `target:`") == true)
        #expect(kept.message == "t-old-1: member c2 is OFFLINE")
        #expect(kept.hint?.contains("lxc cluster list") == true)
    }

    @Test("a target that is no member fails with the members' names")
    func unknownTarget() throws {
        let specs = try Self.machines("  db: {target: c9}\n")
        let placement = MemberPlacement.decide(specs, members: Self.three, instances: [], spread: .roundRobin)
        guard case .unavailable(let problem) = placement["t-db-1"] else {
            Issue.record("expected a failure, got \(String(describing: placement["t-db-1"]))")
            return
        }
        #expect(problem.message == "t-db-1: target `c9` is not a member of the cluster (members: c1, c2, c3)")
        #expect(problem.hint?.contains("lxc cluster list") == true)
    }

    @Test("no member online: every untargeted machine fails")
    func noneOnline() throws {
        let specs = try Self.machines("  web: {count: 2}\n")
        let down = Self.three.map { var member = $0; member.status = "Offline"; return member }
        let placement = MemberPlacement.decide(specs, members: down, instances: [], spread: .fewestInstances)
        for name in ["t-web-1", "t-web-2"] {
            guard case .unavailable(let problem) = placement[name] else {
                Issue.record("expected a failure for \(name)")
                continue
            }
            #expect(problem.message.contains("no cluster member is ONLINE"))
        }
    }
}
