import Foundation

/// The kernel limits that many systemd containers on one host run into. With the default
/// `fs.inotify.max_user_instances=128`, containers past about the 13th fail to boot.
public struct HostLimits: Sendable, Equatable {
    public var inotifyInstances: Int?
    public var inotifyWatches: Int?
    public var maxKeys: Int?

    public init(inotifyInstances: Int?, inotifyWatches: Int?, maxKeys: Int?) {
        self.inotifyInstances = inotifyInstances
        self.inotifyWatches = inotifyWatches
        self.maxKeys = maxKeys
    }

    /// Reads the limits of this host from /proc/sys (nil where unreadable, e.g. not Linux).
    public static func current(procSys: String = "/proc/sys") -> HostLimits {
        func read(_ path: String) -> Int? {
            (try? String(contentsOfFile: "\(procSys)/\(path)", encoding: .utf8))
                .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        return HostLimits(
            inotifyInstances: read("fs/inotify/max_user_instances"),
            inotifyWatches: read("fs/inotify/max_user_watches"),
            maxKeys: read("kernel/keys/maxkeys"))
    }

    /// Problems for a host that will run `containers` systemd containers in all.
    public func problems(forContainers containers: Int) -> [String] {
        var found: [String] = []
        // Each systemd container takes about 9 inotify instances; leave room for the host.
        let instancesNeeded = containers * 10 + 32
        if let value = inotifyInstances, value < instancesNeeded {
            found.append("fs.inotify.max_user_instances is \(value); \(containers) containers need about \(instancesNeeded) (past about 13, systemd in a container fails with \"Too many open files\")")
        }
        if let value = inotifyWatches, value < containers * 8192 {
            found.append("fs.inotify.max_user_watches is \(value); \(containers) containers need about \(containers * 8192)")
        }
        if let value = maxKeys, value < containers * 20 + 200 {
            found.append("kernel.keys.maxkeys is \(value); \(containers) containers need about \(containers * 20 + 200)")
        }
        return found
    }

    public static let fix = "sysctl -w fs.inotify.max_user_instances=1048576 fs.inotify.max_user_watches=1048576 kernel.keys.maxkeys=2000 (or run scripts/lab)"
}
