import Foundation
import Gold
import GoldfleetSupport
import JujuKit
import LXDKit
import SSHKit

/// Turns an inventory into a running, Juju-registered, charm-placed environment, and takes it
/// down again. Holds the collaborators; each command (`up`, `down`, `status`, `reset`, `export`)
/// lives in its own file as an extension.
public struct Orchestrator: Sendable {
    public struct Options: Sendable {
        /// How many machines run their pipeline at once.
        public var parallel: Int
        /// How long a clone may take to get an IPv4.
        public var addressTimeout: Duration
        /// How long sshd may take to accept a login after the address appeared.
        public var sshDeadline: Duration
        public var commandTimeout: Duration
        /// Public keys juju's ssh will use (`JujuClientKeys`), installed into each machine.
        public var jujuPublicKeys: [String]
        /// The known_hosts file juju's ssh reads, where the pinned host keys are written.
        public var jujuKnownHosts: String?
        /// True when `juju` is the project's double, so reports say Juju was simulated.
        public var jujuSimulated: Bool
        /// Extra `user.*` config set on every instance created (e.g. a test run's tag).
        public var extraConfig: [String: String] = [:]

        public init(
            parallel: Int = Options.defaultParallelism,
            addressTimeout: Duration = .seconds(120),
            sshDeadline: Duration = .seconds(60),
            commandTimeout: Duration = .seconds(300),
            jujuPublicKeys: [String] = [],
            jujuKnownHosts: String? = nil,
            jujuSimulated: Bool = false
        ) {
            self.parallel = parallel
            self.addressTimeout = addressTimeout
            self.sshDeadline = sshDeadline
            self.commandTimeout = commandTimeout
            self.jujuPublicKeys = jujuPublicKeys
            self.jujuKnownHosts = jujuKnownHosts
            self.jujuSimulated = jujuSimulated
        }

        /// Boot is CPU-bound but most of a pipeline waits on I/O: a few machines per core.
        public static var defaultParallelism: Int {
            min(16, max(4, ProcessInfo.processInfo.activeProcessorCount * 4))
        }
    }

    public let lxd: any LXDOperations
    public let juju: any JujuDriving
    /// How machines' sshd is reached (logins and banner checks).
    public let shells: any MachineShellConnector
    public let state: StateDirectory
    public let progress: any ProgressSink
    public let clock: MonotonicClock
    public let options: Options

    public init(
        lxd: any LXDOperations, juju: any JujuDriving, shells: any MachineShellConnector = SSHShellConnector(),
        state: StateDirectory = StateDirectory(),
        progress: any ProgressSink = SilentProgress(), clock: MonotonicClock = .system,
        options: Options = Options()
    ) {
        self.lxd = lxd
        self.juju = juju
        self.shells = shells
        self.state = state
        self.progress = progress
        self.clock = clock
        self.options = options
    }

    /// The managed instances of `environment`, by name. Instances without goldfleet's
    /// `managed-by` tag are never returned, whatever their other keys say.
    func managedInstances(of environment: String) async throws -> [String: LXDInstance] {
        let found = try await lxd.instances(matchingConfig: [
            InstanceTags.managedBy: InstanceTags.managedByValue,
            InstanceTags.environment: environment,
        ])
        return Dictionary(found.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
