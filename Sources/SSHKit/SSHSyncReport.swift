/// What one `syncDirectory` did.
public struct SSHSyncReport: Sendable, Equatable {
    /// Files written (new or changed).
    public var uploaded: Int
    /// Files already there with the same content and mode.
    public var unchanged: Int
    /// Files removed because they are no longer in the local tree.
    public var removed: Int
    /// Bytes of file content sent.
    public var bytes: Int64
    public var duration: Duration

    public init(uploaded: Int, unchanged: Int, removed: Int, bytes: Int64, duration: Duration) {
        self.uploaded = uploaded
        self.unchanged = unchanged
        self.removed = removed
        self.bytes = bytes
        self.duration = duration
    }
}
