import Foundation
import Testing
@testable import Orchestrator

@Suite("Pool space check")
struct PoolSpaceCheckTests {
    static let gib: UInt64 = 1 << 30

    @Test("on a cluster, new machines count against the member they are placed on")
    func perMember() throws {
        let specs = try MemberPlacementTests.machines("  node: {count: 8}\n")
        let placement = MemberPlacement.decide(specs, members: MemberPlacementTests.three, instances: [], spread: .roundRobin)
        #expect(PoolSpaceCheck.newMachines(specs, existing: [], placement: placement) == ["c1": 3, "c2": 3, "c3": 2])
    }

    @Test("existing machines and machines on an offline member need no room; standalone counts under nil")
    func existingAndUnplaced() throws {
        let specs = try MemberPlacementTests.machines("  node: {count: 3}\n  db: {target: c2}\n")
        // c2 offline: round-robin over c1, c3 (node-1 exists, node-2 → c3, node-3 → c1); db on c2 cannot be placed.
        let placement = MemberPlacement.decide(
            specs, members: MemberPlacementTests.members(offline: "c2"), instances: [], spread: .roundRobin)
        #expect(PoolSpaceCheck.newMachines(specs, existing: ["t-node-1"], placement: placement) == ["c1": 1, "c3": 1])
        #expect(PoolSpaceCheck.newMachines(specs, existing: ["t-node-1"], placement: nil) == [nil: 3])
    }

    @Test("a full copy needs about 1 GiB per machine, copy-on-write 64 MiB, never under 1 GiB in all")
    func bytesNeeded() {
        #expect(PoolSpaceCheck.bytesNeeded(newMachines: 3, copyOnWrite: false) == 3 * Self.gib)
        #expect(PoolSpaceCheck.bytesNeeded(newMachines: 3, copyOnWrite: true) == Self.gib)
        #expect(PoolSpaceCheck.bytesNeeded(newMachines: 32, copyOnWrite: true) == 2 * Self.gib)
    }

    @Test("the problem names the pool, the member and what its machines need; none when there is room")
    func problem() throws {
        let free: UInt64 = 7788 << 20
        #expect(PoolSpaceCheck.problem(pool: "default", member: "c1", free: free, newMachines: 3, copyOnWrite: false) == nil)
        let text = try #require(PoolSpaceCheck.problem(pool: "default", member: "c1", free: free, newMachines: 8, copyOnWrite: false))
        #expect(text.hasPrefix("storage pool `default` on member c1 has 7788 MiB free; 8 new machine(s) placed there need about 8192 MiB"))
        let standalone = try #require(PoolSpaceCheck.problem(pool: "dirpool", member: nil, free: free, newMachines: 8, copyOnWrite: false))
        #expect(standalone.hasPrefix("storage pool `dirpool` has 7788 MiB free; 8 new machine(s) need about 8192 MiB"))
    }
}
