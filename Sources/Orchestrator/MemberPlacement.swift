import GoldfleetSupport
import Inventory
import LXDKit

/// Which cluster member each machine of an inventory runs on. Pure: decided from the members'
/// status and the instances that already exist, before anything is created.
///
/// - An existing instance stays where it is (LXD cannot move a running container cheaply).
/// - A machine with `target:` goes to that member.
/// - Every other machine follows `lxd.spread` over the ONLINE members, in name order, so a
///   member that is down never receives new machines.
/// A machine whose member is offline or unknown gets a failure instead of a member; the others
/// are placed as usual.
public struct MemberPlacement: Sendable, Equatable {
    public enum Decision: Sendable, Equatable {
        case member(String)
        case unavailable(MemberUnavailable)

        public var member: String? {
            switch self {
            case .member(let name): name
            case .unavailable(let failure): failure.member
            }
        }
    }

    /// Decision per instance name.
    public var decisions: [String: Decision]

    public subscript(instanceName: String) -> Decision? { decisions[instanceName] }

    /// - Parameters:
    ///   - machines: the inventory's machines, in inventory order.
    ///   - members: the cluster's members with their status.
    ///   - instances: every instance on the cluster (for existing machines' members and for
    ///     `fewest-instances` counting).
    public static func decide(
        _ machines: [MachineSpec], members: [LXDClusterMember], instances: [LXDInstance], spread: SpreadStrategy
    ) -> MemberPlacement {
        let byName = Dictionary(members.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let online = members.filter(\.isOnline).map(\.name).sorted()
        let existing = Dictionary(instances.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var load: [String: Int] = [:]
        for instance in instances { if let member = instance.member { load[member, default: 0] += 1 } }

        func check(_ name: String, for machine: String, targeted: Bool) -> Decision {
            guard let member = byName[name] else {
                return .unavailable(MemberUnavailable(
                    machine: machine, member: name, status: nil, known: members.map(\.name).sorted()))
            }
            guard member.isOnline else {
                return .unavailable(MemberUnavailable(
                    machine: machine, member: name, status: member.status, known: members.map(\.name).sorted(),
                    targeted: targeted))
            }
            return .member(name)
        }

        var decisions: [String: Decision] = [:]
        var untargetedIndex = 0
        for spec in machines {
            let name = spec.instanceName
            if let instance = existing[name], let member = instance.member {
                decisions[name] = check(member, for: name, targeted: false)
            } else if let target = spec.target {
                decisions[name] = check(target, for: name, targeted: true)
                if case .member(let member) = decisions[name] { load[member, default: 0] += 1 }
            } else if online.isEmpty {
                decisions[name] = .unavailable(MemberUnavailable(
                    machine: name, member: nil, status: nil, known: members.map(\.name).sorted()))
            } else {
                let member: String
                switch spread {
                case .roundRobin:
                    // By the machine's position among untargeted ones, so a re-run places a
                    // missing machine where the first run would have.
                    member = online[untargetedIndex % online.count]
                case .fewestInstances:
                    member = online.min { (load[$0] ?? 0, $0) < (load[$1] ?? 0, $1) }!
                }
                load[member, default: 0] += 1
                decisions[name] = .member(member)
            }
            if spec.target == nil { untargetedIndex += 1 }
        }
        return MemberPlacement(decisions: decisions)
    }
}

/// A machine cannot be placed: its member is offline, unknown, or no member is online.
public struct MemberUnavailable: UserFacingError, Equatable {
    public let machine: String
    /// nil when no member at all is online.
    public let member: String?
    /// The member's status (`Offline`, `Evacuated`, …); nil when it is not a member.
    public let status: String?
    public let known: [String]
    /// True when the inventory's `target:` named the member (not an existing instance's place).
    public var targeted: Bool = false

    public var message: String {
        guard let member else {
            return "\(machine): no cluster member is ONLINE (members: \(known.joined(separator: ", ")))"
        }
        guard let status else {
            return "\(machine): target `\(member)` is not a member of the cluster (members: \(known.joined(separator: ", ")))"
        }
        return "\(machine): member \(member) is \(status.uppercased())"
    }

    public var hint: String? {
        guard let member else {
            return "start the members' LXD daemons and check `lxc cluster list`, then run `goldfleet up` again"
        }
        guard status != nil else {
            return "set `target:` to a member name that `lxc cluster list` shows, or remove it to let `lxd.spread` choose"
        }
        let fix = "bring member \(member) back (start its LXD daemon; `lxc cluster list` must show it ONLINE) and run `goldfleet up` again; machines on other members are not affected"
        return targeted ? fix + ", or change this machine's `target:`" : fix
    }
}
