import Foundation

/// The parts of `juju status --format=json` goldfleet reads.
public struct JujuStatus: Sendable, Hashable {
    public var modelName: String?
    public var jujuVersion: String?
    public var machines: [JujuMachine]
    public var applications: [JujuApplication]

    public init(modelName: String? = nil, jujuVersion: String? = nil, machines: [JujuMachine] = [], applications: [JujuApplication] = []) {
        self.modelName = modelName
        self.jujuVersion = jujuVersion
        self.machines = machines
        self.applications = applications
    }

    public func application(_ name: String) -> JujuApplication? { applications.first { $0.name == name } }

    /// Machines and their containers in one list.
    public var allMachines: [JujuMachine] { machines.flatMap(\.flattened) }

    /// Principal units with their subordinates, in one list.
    public var allUnits: [JujuUnit] { applications.flatMap { $0.units.flatMap { [$0] + $0.subordinates } } }
}

public struct JujuApplication: Sendable, Hashable {
    public var name: String
    public var charm: String?
    public var charmName: String?
    public var charmRevision: Int?
    public var charmChannel: String?
    public var base: JujuBase?
    public var status: JujuStatusValue?
    /// Endpoint name → the applications related on it.
    public var relations: [String: [String]]
    /// Set for subordinate applications: the principals they attach to.
    public var subordinateTo: [String]
    public var units: [JujuUnit]
    public var statusError: String?
    /// `exposed` (formatted.go `applicationStatus.Exposed`, written by 2.9 and 3.x).
    public var exposed: Bool

    public init(name: String, charm: String? = nil, charmName: String? = nil, charmRevision: Int? = nil,
                charmChannel: String? = nil, base: JujuBase? = nil, status: JujuStatusValue? = nil,
                relations: [String: [String]] = [:], subordinateTo: [String] = [], units: [JujuUnit] = [],
                statusError: String? = nil, exposed: Bool = false) {
        self.name = name
        self.charm = charm
        self.charmName = charmName
        self.charmRevision = charmRevision
        self.charmChannel = charmChannel
        self.base = base
        self.status = status
        self.relations = relations
        self.subordinateTo = subordinateTo
        self.units = units
        self.statusError = statusError
        self.exposed = exposed
    }

    /// Every application this one is related to, on any endpoint.
    public var relatedApplications: Set<String> { Set(relations.values.joined()) }
}

public struct JujuUnit: Sendable, Hashable {
    /// e.g. `ubuntu/0`.
    public var name: String
    /// Principal units only; subordinates share their principal's machine.
    public var machine: String?
    public var publicAddress: String?
    public var workloadStatus: JujuStatusValue?
    /// The unit agent's status (`juju-status`): `allocating`, `executing`, `idle`, …
    public var agentStatus: JujuStatusValue?
    public var leader: Bool
    public var subordinates: [JujuUnit]
    public var statusError: String?
    /// Set while the unit still runs an older charm than its application's (`upgrading-from`,
    /// cmd/juju/status/formatted.go): a refresh has not reached it yet.
    public var upgradingFrom: String? = nil

    public init(name: String, machine: String? = nil, publicAddress: String? = nil,
                workloadStatus: JujuStatusValue? = nil, agentStatus: JujuStatusValue? = nil,
                leader: Bool = false, subordinates: [JujuUnit] = [], statusError: String? = nil) {
        self.name = name
        self.machine = machine
        self.publicAddress = publicAddress
        self.workloadStatus = workloadStatus
        self.agentStatus = agentStatus
        self.leader = leader
        self.subordinates = subordinates
        self.statusError = statusError
    }
}

extension JujuStatus {
    private struct Wire: Decodable {
        struct Model: Decodable {
            var name: String?
            var version: String?
            enum CodingKeys: String, CodingKey { case name, version }
            init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                name = c.lenient(String.self, forKey: .name)
                version = c.lenient(String.self, forKey: .version)
            }
        }
        /// One entry of `relations.<endpoint>`: juju 2.9 writes the related application's name,
        /// 3.x an object with `related-application` (plus `interface` and `scope`, unused here).
        struct RelationEntry: Decodable {
            var application: String?
            enum CodingKeys: String, CodingKey { case relatedApplication = "related-application" }
            init(from decoder: any Decoder) {
                if let name = try? decoder.singleValueContainer().decode(String.self) {
                    application = name
                } else if let c = try? decoder.container(keyedBy: CodingKeys.self) {
                    application = c.lenient(String.self, forKey: .relatedApplication)
                }
            }
        }
        struct Unit: Decodable {
            var machine: String?
            var publicAddress: String?
            var workloadStatus: JujuStatusValue?
            var jujuStatus: JujuStatusValue?
            var leader: Bool?
            var subordinates: [String: Unit]
            var statusError: String?
            var upgradingFrom: String?
            enum CodingKeys: String, CodingKey {
                case machine, leader, subordinates
                case upgradingFrom = "upgrading-from"
                case publicAddress = "public-address"
                case workloadStatus = "workload-status"
                case jujuStatus = "juju-status"
                case statusError = "status-error"
            }
            init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                machine = c.lenient(String.self, forKey: .machine)
                publicAddress = c.lenient(String.self, forKey: .publicAddress)
                workloadStatus = c.lenient(JujuStatusValue.self, forKey: .workloadStatus)
                jujuStatus = c.lenient(JujuStatusValue.self, forKey: .jujuStatus)
                leader = c.lenient(Bool.self, forKey: .leader)
                subordinates = c.lenientEntries(Unit.self, forKey: .subordinates)
                statusError = c.lenient(String.self, forKey: .statusError)
                upgradingFrom = c.lenient(String.self, forKey: .upgradingFrom)
            }
            func unit(named name: String) -> JujuUnit {
                var unit = JujuUnit(name: name, machine: machine, publicAddress: publicAddress, workloadStatus: workloadStatus,
                                    agentStatus: jujuStatus, leader: leader ?? false,
                                    subordinates: Wire.units(subordinates), statusError: statusError)
                unit.upgradingFrom = upgradingFrom
                return unit
            }
        }
        struct Application: Decodable {
            var charm: String?
            var charmName: String?
            var charmRev: Int?
            var charmChannel: String?
            var base: JujuBase?
            var applicationStatus: JujuStatusValue?
            var relations: [String: [RelationEntry]]
            var subordinateTo: [String]?
            var units: [String: Unit]
            var statusError: String?
            var exposed: Bool?
            enum CodingKeys: String, CodingKey {
                case charm, base, relations, units, exposed
                case charmName = "charm-name"
                case charmRev = "charm-rev"
                case charmChannel = "charm-channel"
                case applicationStatus = "application-status"
                case subordinateTo = "subordinate-to"
                case statusError = "status-error"
            }
            init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                charm = c.lenient(String.self, forKey: .charm)
                charmName = c.lenient(String.self, forKey: .charmName)
                charmRev = c.lenient(Int.self, forKey: .charmRev)
                charmChannel = c.lenient(String.self, forKey: .charmChannel)
                base = c.lenient(JujuBase.self, forKey: .base)
                applicationStatus = c.lenient(JujuStatusValue.self, forKey: .applicationStatus)
                relations = c.lenientEntries([RelationEntry].self, forKey: .relations)
                subordinateTo = c.lenient([String].self, forKey: .subordinateTo)
                units = c.lenientEntries(Unit.self, forKey: .units)
                statusError = c.lenient(String.self, forKey: .statusError)
                exposed = c.lenient(Bool.self, forKey: .exposed)
            }
        }
        var model: Model?
        var machines: [String: JujuMachine.Wire]
        var applications: [String: Application]
        enum CodingKeys: String, CodingKey { case model, machines, applications }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            model = c.lenient(Model.self, forKey: .model)
            machines = c.lenientEntries(JujuMachine.Wire.self, forKey: .machines)
            applications = c.lenientEntries(Application.self, forKey: .applications)
        }

        static func units(_ wires: [String: Unit]) -> [JujuUnit] {
            wires.map { $0.value.unit(named: $0.key) }.sorted { unitPrecedes($0.name, $1.name) }
        }

        static func unitPrecedes(_ a: String, _ b: String) -> Bool {
            let l = a.split(separator: "/"), r = b.split(separator: "/")
            if l.first != r.first { return a < b }
            return (Int(l.last ?? "") ?? 0) < (Int(r.last ?? "") ?? 0)
        }
    }

    /// Parses the body of `juju status --format=json` (juju 2.9 and 3.x shapes).
    public static func parse(_ json: String) throws -> JujuStatus {
        let wire = try JSONDecoder().decode(Wire.self, from: Data(json.utf8))
        let applications = wire.applications.map { name, app in
            JujuApplication(
                name: name, charm: app.charm, charmName: app.charmName, charmRevision: app.charmRev,
                charmChannel: app.charmChannel, base: app.base, status: app.applicationStatus,
                relations: app.relations.mapValues { $0.compactMap(\.application) },
                subordinateTo: app.subordinateTo ?? [], units: Wire.units(app.units), statusError: app.statusError,
                exposed: app.exposed ?? false)
        }.sorted { $0.name < $1.name }
        return JujuStatus(modelName: wire.model?.name, jujuVersion: wire.model?.version,
                          machines: JujuMachine.sorted(wire.machines), applications: applications)
    }
}
