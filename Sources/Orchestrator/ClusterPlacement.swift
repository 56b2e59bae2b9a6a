import Foundation
import Inventory
import LXDKit

extension Orchestrator {
    /// Where each machine goes when LXD is a cluster; nil on a standalone daemon (LXD places
    /// everything on itself, and `target:` is meaningless).
    func memberPlacement(_ inventory: Inventory, instances: [LXDInstance]) async throws -> MemberPlacement? {
        let members = try await lxd.clusterMembers()
        guard !members.isEmpty else { return nil }
        let placement = MemberPlacement.decide(inventory.machines, members: members, instances: instances, spread: inventory.lxd.spread)
        let summary = inventory.machines.compactMap { spec in
            placement[spec.instanceName]?.member.map { "\(spec.instanceName)→\($0)" }
        }
        progress.report(.note("cluster members: " + members.map { "\($0.name) \($0.status.uppercased())" }.joined(separator: ", ")
                              + "; placement: " + summary.joined(separator: " ")))
        return placement
    }

    /// Runs one machine's pipeline on the member chosen for it, or fails it at once when that
    /// member cannot take it (the other machines carry on).
    func convergeMachine(
        _ spec: MachineSpec, placement: MemberPlacement?, existing: LXDInstance?, context: MachineContext
    ) async -> UpReport.Machine {
        guard let decision = placement?[spec.instanceName] else {
            return await convergeMachine(spec, existing: existing, context: context)
        }
        switch decision {
        case .unavailable(let problem):
            var report = UpReport.Machine.failed(spec, step: existing == nil ? .clone : .start, error: problem)
            report.member = problem.member
            report.failure?.hint = problem.hint
            return report
        case .member(let member):
            var placed = spec
            placed.target = member
            var report = await convergeMachine(placed, existing: existing, context: context)
            report.member = member
            return report
        }
    }

    /// A machine that failed on a member which is no longer ONLINE failed because of it: say so
    /// first (its daemon went away mid-run), with the fix, instead of only the symptom.
    func explainingOfflineMembers(_ machines: [UpReport.Machine], placement: MemberPlacement?) async -> [UpReport.Machine] {
        guard placement != nil, machines.contains(where: { $0.failure != nil && $0.member != nil }),
              let members = try? await lxd.clusterMembers() else { return machines }
        let status = Dictionary(members.map { ($0.name, $0.status) }, uniquingKeysWith: { first, _ in first })
        var answering: [String: Bool] = [:]
        for member in Set(machines.filter { $0.failure != nil }.compactMap(\.member)) where status[member] == "Online" {
            answering[member] = await lxd.memberAnswers(member)
        }
        return machines.map { machine in
            guard var failure = machine.failure, let member = machine.member, let listed = status[member],
                  !failure.message.contains("member \(member) is ") else { return machine }
            // Listed ONLINE but not answering: its daemon went away and the heartbeat has not
            // caught up yet.
            let current = listed != "Online" ? listed : (answering[member] == false ? "Offline" : nil)
            guard let current else { return machine }
            let problem = MemberUnavailable(machine: machine.name, member: member, status: current, known: status.keys.sorted())
            var explained = machine
            failure.message = problem.message + " (" + failure.message + ")"
            failure.hint = problem.hint
            explained.failure = failure
            return explained
        }
    }
}
