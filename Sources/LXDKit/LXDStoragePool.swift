/// A storage pool with its driver and space, from `/1.0/storage-pools/NAME` and `…/resources`.
public struct LXDStoragePool: Sendable, Equatable {
    public var name: String
    /// `btrfs`, `dir`, `zfs`, `lvm`, `ceph`, …
    public var driver: String
    /// `Created`, `Pending`, `Errored`, …
    public var status: String
    public var config: [String: String]
    public var space: Space?

    public struct Space: Sendable, Equatable, Decodable {
        public var used: UInt64
        public var total: UInt64
        public var free: UInt64 { total > used ? total - used : 0 }

        public init(used: UInt64, total: UInt64) {
            self.used = used
            self.total = total
        }
    }

    /// Drivers where a clone of a snapshot is copy-on-write (fast), unlike `dir`.
    public var isCopyOnWrite: Bool { ["btrfs", "zfs", "lvm", "ceph"].contains(driver) }

    public init(name: String, driver: String, status: String, config: [String: String] = [:], space: Space? = nil) {
        self.name = name
        self.driver = driver
        self.status = status
        self.config = config
        self.space = space
    }
}

/// The `/1.0/storage-pools/NAME` answer.
struct LXDStoragePoolRecord: Decodable, Sendable {
    var name: String
    var driver: String
    var status: String?
    var config: [String: String]?
}

/// The `/1.0/storage-pools/NAME/resources` answer.
struct LXDStoragePoolResources: Decodable, Sendable {
    var space: LXDStoragePool.Space?
}
