/// `GOLD` or `GOLD/SNAPSHOT` as the user writes it on the command line.
public struct GoldReference: Sendable, Equatable, CustomStringConvertible {
    public var instance: String
    public var snapshot: String?

    public init(instance: String, snapshot: String? = nil) {
        self.instance = instance
        self.snapshot = snapshot
    }

    /// Parses `gold` or `gold/snap1`; `nil` for anything else (empty parts, more slashes).
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, !first.isEmpty, parts.count <= 2 else { return nil }
        if parts.count == 2 {
            guard !parts[1].isEmpty else { return nil }
            self.init(instance: first, snapshot: parts[1])
        } else {
            self.init(instance: first)
        }
    }

    public var description: String { snapshot.map { "\(instance)/\($0)" } ?? instance }
}
