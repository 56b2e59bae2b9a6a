import Inventory

/// Whether a storage pool has room for the new machines of an `up`. On a cluster every member
/// has its own copy of the pool, so new machines count against the member they are placed on —
/// not all of them against whichever member answered (which refused 8 machines spread over three
/// members for want of room for 8 on one, and missed a full member that was not asked).
struct PoolSpaceCheck: Sendable {
    /// New machines per member (`nil` on a standalone daemon). Machines that already exist, and
    /// machines that cannot be placed (their member is offline), need no room.
    static func newMachines(_ machines: [MachineSpec], existing: Set<String>, placement: MemberPlacement?) -> [String?: Int] {
        var counts: [String?: Int] = [:]
        for spec in machines where !existing.contains(spec.instanceName) {
            if let placement {
                guard case .member(let member) = placement[spec.instanceName] else { continue }
                counts[member, default: 0] += 1
            } else {
                counts[nil, default: 0] += 1
            }
        }
        return counts
    }

    /// A copy-on-write clone starts near zero but grows with what the machine writes; a full copy
    /// needs the gold's whole size. Either way, under 1 GiB free is a problem.
    static func bytesNeeded(newMachines: Int, copyOnWrite: Bool) -> UInt64 {
        let perMachine: UInt64 = copyOnWrite ? 64 << 20 : 1 << 30
        return max(1 << 30, perMachine * UInt64(newMachines))
    }

    /// The problem to report, or nil when the pool has room.
    static func problem(pool: String, member: String?, free: UInt64, newMachines: Int, copyOnWrite: Bool) -> String? {
        let needed = bytesNeeded(newMachines: newMachines, copyOnWrite: copyOnWrite)
        guard newMachines > 0, free < needed else { return nil }
        let onMember = member.map { " on member \($0)" } ?? ""
        let placed = member == nil ? "" : " placed there"
        return "storage pool `\(pool)`\(onMember) has \(free >> 20) MiB free; \(newMachines) new machine(s)\(placed) need about \(needed >> 20) MiB — free space in the pool or grow it (`lxc storage set \(pool) size=…`)"
    }
}
