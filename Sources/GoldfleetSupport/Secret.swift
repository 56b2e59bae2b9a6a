/// A password or passphrase. Printing, interpolating or dumping it shows `<redacted>`, so a
/// secret that slips into a log line or an error message does not leak.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String

    public init(_ value: String) {
        self.value = value
    }

    /// The secret itself. Named loudly so every use stands out in review.
    public var revealedValue: String { value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension Secret {
    /// The environment variable the SSH password is read from unless the inventory names
    /// another; no child process ever inherits it.
    public static let passwordVariable = "GOLDFLEET_PASSWORD"
}
