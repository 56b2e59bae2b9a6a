import GoldfleetSupport

/// A validated, fully expanded description of one goldfleet environment.
///
/// Everything is resolved: defaults filled in, relative paths made absolute, machine groups
/// expanded into one `MachineSpec` per container, placements pointing at concrete instances.
/// Produced only by `InventoryLoader`, so holding one means the file passed validation.
public struct Inventory: Sendable, Equatable {
    /// Environment name; prefix of every instance name and the default Juju model name.
    public var name: String
    /// The inventory file as the user named it (used in messages).
    public var sourceFile: String
    public var gold: GoldSource
    public var lxd: LXDSettings
    public var ssh: SSHSettings
    /// The global wheelhouse, if any (each machine carries its own effective copy).
    public var wheelhouse: WheelhouseSettings?
    /// Expanded instances, in file order, `index` ascending within a group.
    public var machines: [MachineSpec]
    public var juju: JujuSettings

    public init(
        name: String, sourceFile: String, gold: GoldSource, lxd: LXDSettings, ssh: SSHSettings,
        wheelhouse: WheelhouseSettings?, machines: [MachineSpec], juju: JujuSettings
    ) {
        self.name = name
        self.sourceFile = sourceFile
        self.gold = gold
        self.lxd = lxd
        self.ssh = ssh
        self.wheelhouse = wheelhouse
        self.machines = machines
        self.juju = juju
    }

    /// The instance called `instanceName`, if the inventory has it.
    public func machine(named instanceName: String) -> MachineSpec? {
        machines.first { $0.instanceName == instanceName }
    }

    /// The instance names a group expands to, in order.
    public func instances(ofGroup group: String) -> [String] {
        machines.filter { $0.group == group }.map(\.instanceName)
    }
}

/// Where clones come from.
public enum GoldSource: Sendable, Equatable, CustomStringConvertible {
    /// Copy of a snapshot of an existing instance: `gold/snap1`.
    case snapshot(instance: String, snapshot: String)
    /// A new instance from a local image alias: `juju/bookworm/amd64`.
    case image(alias: String)

    public var description: String {
        switch self {
        case .snapshot(let instance, let snapshot): "\(instance)/\(snapshot)"
        case .image(let alias): "image \(alias)"
        }
    }
}

/// How to reach LXD and how new instances are laid out.
public struct LXDSettings: Sendable, Equatable {
    public var pool: String
    public var profiles: [String]
    public var location: LXDLocation
    public var spread: SpreadStrategy

    public static let defaultPool = "default"
    public static let defaultProfiles = ["default"]

    public init(
        pool: String = LXDSettings.defaultPool, profiles: [String] = LXDSettings.defaultProfiles,
        location: LXDLocation = .localSocket, spread: SpreadStrategy = .roundRobin
    ) {
        self.pool = pool
        self.profiles = profiles
        self.location = location
        self.spread = spread
    }
}

public enum LXDLocation: Sendable, Equatable {
    /// The local daemon at its usual socket (the LXD client decides which path exists).
    case localSocket
    /// A unix socket at an explicit path.
    case socket(path: String)
    /// A remote configured in the `lxc` client (`lxc remote list`).
    case remote(name: String)
    /// An HTTPS endpoint with TLS client credentials.
    case url(String, tls: LXDTLSSettings)
}

/// TLS material for an HTTPS LXD endpoint; paths are absolute.
public struct LXDTLSSettings: Sendable, Equatable {
    public var clientCertificatePath: String?
    public var clientKeyPath: String?
    public var serverCertificatePath: String?
    /// SHA-256 fingerprint of the server certificate, as LXD writes it: 64 lower-case hex digits
    /// (the parser accepts colons and upper case and normalises them away).
    public var serverFingerprint: String?

    public init(
        clientCertificatePath: String? = nil, clientKeyPath: String? = nil,
        serverCertificatePath: String? = nil, serverFingerprint: String? = nil
    ) {
        self.clientCertificatePath = clientCertificatePath
        self.clientKeyPath = clientKeyPath
        self.serverCertificatePath = serverCertificatePath
        self.serverFingerprint = serverFingerprint
    }
}

/// How instances are spread over cluster members when `target` is not given.
public enum SpreadStrategy: String, Sendable, Equatable, CaseIterable {
    case roundRobin = "round-robin"
    case fewestInstances = "fewest-instances"
}

public struct SSHSettings: Sendable, Equatable {
    public var user: String
    public var password: PasswordSource

    public static let defaultUser = "ubuntu"
    public static let defaultPasswordVariable = Secret.passwordVariable

    public init(
        user: String = SSHSettings.defaultUser,
        password: PasswordSource = .environment(SSHSettings.defaultPasswordVariable)
    ) {
        self.user = user
        self.password = password
    }
}

/// Where the SSH password comes from. Never rendered: `description` names only the source.
public enum PasswordSource: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// Name of an environment variable holding the password.
    case environment(String)
    /// Absolute path of a file whose first line is the password.
    case file(String)
    /// The password itself, written in the inventory (discouraged; validation warns).
    case inline(String)

    public var description: String {
        switch self {
        case .environment(let name): "environment variable \(name)"
        case .file(let path): "file \(path)"
        case .inline: "inline password (hidden)"
        }
    }

    public var debugDescription: String { description }
    // Keeps `dump()` and string interpolation of containing values from showing the secret.
    public var customMirror: Mirror { Mirror(self, children: [:], displayStyle: .enum) }
}

/// A local directory of Python wheels copied into each machine.
public struct WheelhouseSettings: Sendable, Equatable {
    /// Absolute local directory.
    public var path: String
    /// Destination on the machine; `~user/…` is expanded by the copier.
    public var remote: String
    /// Run `pip install --no-index --find-links REMOTE` on every wheel after copying.
    public var pipInstall: Bool

    public static let defaultRemote = "~ubuntu/wheelhouse"

    public init(path: String, remote: String = WheelhouseSettings.defaultRemote, pipInstall: Bool = false) {
        self.path = path
        self.remote = remote
        self.pipInstall = pipInstall
    }
}

/// One container to create: a single instance of a machine group.
public struct MachineSpec: Sendable, Equatable {
    /// `<env>-<group>-<index>`, always with the index, even for a group of one.
    public var instanceName: String
    /// The machine name in the inventory (`machines.<group>`).
    public var group: String
    /// 1-based position in the group.
    public var index: Int
    /// `limits.cpu`; `nil` leaves the profile's value.
    public var cpu: Int?
    /// `limits.memory`, as written (`2GiB`); `nil` leaves the profile's value.
    public var memory: String?
    /// `security.nesting`, needed to host `lxd:` placements.
    public var nesting: Bool
    /// Effective wheelhouse (global merged with the machine's own); `nil` when none.
    public var wheelhouse: WheelhouseSettings?
    /// Cluster member to create the instance on; `nil` lets `spread` decide.
    public var target: String?

    public init(
        instanceName: String, group: String, index: Int, cpu: Int? = nil, memory: String? = nil,
        nesting: Bool = false, wheelhouse: WheelhouseSettings? = nil, target: String? = nil
    ) {
        self.instanceName = instanceName
        self.group = group
        self.index = index
        self.cpu = cpu
        self.memory = memory
        self.nesting = nesting
        self.wheelhouse = wheelhouse
        self.target = target
    }

    /// LXD instance config goldfleet sets, in a stable order (limits, nesting, tags).
    public func instanceConfig(environment: String) -> [ConfigEntry] {
        var config: [ConfigEntry] = []
        if let cpu { config.append(.init("limits.cpu", String(cpu))) }
        if let memory { config.append(.init("limits.memory", memory)) }
        if nesting { config.append(.init("security.nesting", "true")) }
        config.append(.init("user.goldfleet.environment", environment))
        config.append(.init("user.goldfleet.machine", group))
        config.append(.init("user.goldfleet.index", String(index)))
        return config
    }
}

/// An ordered key/value pair (model config, charm config, instance config).
public struct ConfigEntry: Sendable, Equatable, CustomStringConvertible {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }

    public var description: String { "\(key)=\(value)" }
}

public struct JujuSettings: Sendable, Equatable {
    public var model: String
    /// Defaults first, then the user's keys (a user key replaces a default in place).
    public var modelConfig: [ConfigEntry]
    public var applications: [ApplicationSpec]
    public var relations: [RelationSpec]

    /// Fresh containers from the gold are already up to date; skipping apt makes add-machine fast.
    public static let defaultModelConfig = [
        ConfigEntry("enable-os-refresh-update", "false"),
        ConfigEntry("enable-os-upgrade", "false"),
    ]

    public init(
        model: String, modelConfig: [ConfigEntry] = JujuSettings.defaultModelConfig,
        applications: [ApplicationSpec] = [], relations: [RelationSpec] = []
    ) {
        self.model = model
        self.modelConfig = modelConfig
        self.applications = applications
        self.relations = relations
    }
}

public struct ApplicationSpec: Sendable, Equatable {
    public var name: String
    public var charm: String
    public var channel: String?
    public var revision: Int?
    public var base: String?
    public var config: [ConfigEntry]
    /// 0 for subordinates (deployed without units or placement).
    public var numUnits: Int
    /// One per unit, in unit order; `count == numUnits`.
    public var placements: [Placement]
    /// Juju constraints as written (`cores=2 mem=8G`) → `--constraints`; juju keeps them as the
    /// application's constraints (a `--to` placement on an existing machine does not resize it).
    public var constraints: String?
    /// `--trust`: the charm may use the model's credentials.
    public var trust: Bool
    /// `juju expose APP` after the deploy.
    public var expose: Bool
    /// Endpoint → space, in file order; the endpoint `""` is the application's default space.
    /// Passed as one `--bind "DEFAULT endpoint=space …"`.
    public var bindings: [ConfigEntry]
    /// Resource name → a charm revision (digits) or an absolute local file, one `--resource name=value` each.
    public var resources: [ConfigEntry]

    public init(
        name: String, charm: String, channel: String? = nil, revision: Int? = nil, base: String? = nil,
        config: [ConfigEntry] = [], numUnits: Int, placements: [Placement], constraints: String? = nil,
        trust: Bool = false, expose: Bool = false, bindings: [ConfigEntry] = [], resources: [ConfigEntry] = []
    ) {
        self.name = name
        self.charm = charm
        self.channel = channel
        self.revision = revision
        self.base = base
        self.config = config
        self.numUnits = numUnits
        self.placements = placements
        self.constraints = constraints
        self.trust = trust
        self.expose = expose
        self.bindings = bindings
        self.resources = resources
    }

    /// The `--bind` value juju reads (cmd/juju/application/bind.go `parseBindExpr`, 2.9 and 3.x):
    /// the default space first, then `endpoint=space` pairs; nil without bindings.
    public var bindExpression: String? {
        guard !bindings.isEmpty else { return nil }
        let defaults = bindings.filter { $0.key.isEmpty }.map(\.value)
        let pairs = bindings.filter { !$0.key.isEmpty }.map { "\($0.key)=\($0.value)" }
        return (defaults + pairs).joined(separator: " ")
    }
}

/// Where one unit goes, in terms of inventory instances (juju machine ids are known only later).
public enum Placement: Sendable, Equatable, CustomStringConvertible {
    /// Directly on the juju machine registered for this instance.
    case machine(instanceName: String)
    /// In a new LXD container that juju creates inside this instance (needs nesting).
    case lxdContainer(onInstance: String)

    public var instanceName: String {
        switch self {
        case .machine(let name), .lxdContainer(let name): name
        }
    }

    /// The `--to` directive once the instance's juju machine id is known.
    public func directive(machineID: String) -> String {
        switch self {
        case .machine: machineID
        case .lxdContainer: "lxd:\(machineID)"
        }
    }

    public var description: String {
        switch self {
        case .machine(let name): "<machine of \(name)>"
        case .lxdContainer(let name): "lxd:<machine of \(name)>"
        }
    }
}

/// `juju integrate A B`; endpoints are optional, as in juju.
public struct RelationSpec: Sendable, Equatable, CustomStringConvertible {
    public struct End: Sendable, Equatable, CustomStringConvertible {
        public var application: String
        public var endpoint: String?

        public init(application: String, endpoint: String? = nil) {
            self.application = application
            self.endpoint = endpoint
        }

        public var description: String {
            endpoint.map { "\(application):\($0)" } ?? application
        }
    }

    public var first: End
    public var second: End

    public init(_ first: End, _ second: End) {
        self.first = first
        self.second = second
    }

    public var description: String { "\(first) \(second)" }
}
