/// What `build` made and how long each step took.
public struct GoldBuildReport: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        public var title: String
        public var duration: Duration
    }

    public var gold: String
    public var snapshot: String
    public var steps: [Step]
    public var total: Duration
    public var warnings: [String]
    /// The cheap clone-safety checks run on the stopped gold after the snapshot.
    public var checks: [GoldCheck]

    /// `gold/snap1`, the source `up` clones.
    public var source: String { "\(gold)/\(snapshot)" }
}
