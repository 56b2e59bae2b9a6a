import Foundation

/// A machine (or container, e.g. `1/lxd/0`) as `juju machines` / `juju status` report it.
public struct JujuMachine: Sendable, Hashable {
    public var id: String
    public var dnsName: String?
    public var ipAddresses: [String]
    public var instanceID: String?
    public var hostname: String?
    /// The agent's status (`juju-status`): `pending`, `started`, `down`, `error`, …
    public var jujuStatus: JujuStatusValue?
    /// The provider's view (`machine-status`).
    public var machineStatus: JujuStatusValue?
    public var base: JujuBase?
    /// Juju 2.9 prints a series instead of a base.
    public var series: String?
    public var hardware: String?
    public var containers: [JujuMachine]
    /// Set when juju could not read this machine's status (`status-error`).
    public var statusError: String?

    public init(id: String, dnsName: String? = nil, ipAddresses: [String] = [], instanceID: String? = nil,
                hostname: String? = nil, jujuStatus: JujuStatusValue? = nil, machineStatus: JujuStatusValue? = nil,
                base: JujuBase? = nil, series: String? = nil, hardware: String? = nil,
                containers: [JujuMachine] = [], statusError: String? = nil) {
        self.id = id
        self.dnsName = dnsName
        self.ipAddresses = ipAddresses
        self.instanceID = instanceID
        self.hostname = hostname
        self.jujuStatus = jujuStatus
        self.machineStatus = machineStatus
        self.base = base
        self.series = series
        self.hardware = hardware
        self.containers = containers
        self.statusError = statusError
    }

    /// True when the machine was added with `add-machine ssh:…` (instance id `manual:HOST`).
    public var isManual: Bool { instanceID?.hasPrefix("manual:") ?? false }

    /// Whether this machine stands for `host` (its address, DNS name or manual instance id).
    public func matches(host: String) -> Bool {
        dnsName == host || ipAddresses.contains(host) || instanceID == "manual:\(host)"
    }

    /// This machine and its containers, depth first.
    public var flattened: [JujuMachine] { [self] + containers.flatMap(\.flattened) }
}

extension JujuMachine {
    /// Wire shape shared by `machines --format=json` and `status --format=json`.
    struct Wire: Decodable {
        var jujuStatus: JujuStatusValue?
        var machineStatus: JujuStatusValue?
        var dnsName: String?
        var ipAddresses: [String]?
        var instanceID: String?
        var hostname: String?
        var base: JujuBase?
        var series: String?
        var hardware: String?
        var containers: [String: Wire]
        var statusError: String?

        enum CodingKeys: String, CodingKey {
            case base, series, hardware, containers, hostname
            case jujuStatus = "juju-status"
            case machineStatus = "machine-status"
            case dnsName = "dns-name"
            case ipAddresses = "ip-addresses"
            case instanceID = "instance-id"
            case statusError = "status-error"
        }

        /// Only the fields goldfleet reads; any of another shape reads as absent (LenientDecoding).
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            jujuStatus = c.lenient(JujuStatusValue.self, forKey: .jujuStatus)
            machineStatus = c.lenient(JujuStatusValue.self, forKey: .machineStatus)
            dnsName = c.lenient(String.self, forKey: .dnsName)
            ipAddresses = c.lenient([String].self, forKey: .ipAddresses)
            instanceID = c.lenient(String.self, forKey: .instanceID)
            hostname = c.lenient(String.self, forKey: .hostname)
            base = c.lenient(JujuBase.self, forKey: .base)
            series = c.lenient(String.self, forKey: .series)
            hardware = c.lenient(String.self, forKey: .hardware)
            containers = c.lenientEntries(Wire.self, forKey: .containers)
            statusError = c.lenient(String.self, forKey: .statusError)
        }

        func machine(id: String) -> JujuMachine {
            JujuMachine(
                id: id, dnsName: dnsName, ipAddresses: ipAddresses ?? [], instanceID: instanceID,
                hostname: hostname, jujuStatus: jujuStatus, machineStatus: machineStatus, base: base,
                series: series, hardware: hardware,
                containers: JujuMachine.sorted(containers), statusError: statusError)
        }
    }

    static func sorted(_ wires: [String: Wire]) -> [JujuMachine] {
        wires.map { $0.value.machine(id: $0.key) }.sorted { JujuMachine.idPrecedes($0.id, $1.id) }
    }

    /// Orders ids the way juju prints them: 2 before 10, `1` before `1/lxd/0`.
    static func idPrecedes(_ a: String, _ b: String) -> Bool {
        let left = a.split(separator: "/"), right = b.split(separator: "/")
        for (l, r) in zip(left, right) where l != r {
            if let li = Int(l), let ri = Int(r) { return li < ri }
            return l < r
        }
        return left.count < right.count
    }

    private struct Listing: Decodable {
        var machines: [String: Wire]
        enum CodingKeys: String, CodingKey { case machines }
        init(from decoder: any Decoder) throws {
            machines = try decoder.container(keyedBy: CodingKeys.self).lenientEntries(Wire.self, forKey: .machines)
        }
    }

    /// Parses the body of `juju machines --format=json`.
    public static func parseList(_ json: String) throws -> [JujuMachine] {
        let listing = try JSONDecoder().decode(Listing.self, from: Data(json.utf8))
        return sorted(listing.machines)
    }
}
