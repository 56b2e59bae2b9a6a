import CLibSSH2

/// The process-wide libssh2 initialisation.
enum LibSSH2Runtime {
    /// `libssh2_init` is not thread-safe, so it must run exactly once before any session exists.
    /// A `static let` initialiser runs once, guarded by the runtime (swift_once).
    private static let status: Int32 = libssh2_init(0)

    /// Call before creating any libssh2 session.
    static func ensureInitialized() -> Bool {
        status == 0
    }
}
