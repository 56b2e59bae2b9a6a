/// The ubuntu user's password for a gold. Its description never shows the value, so it cannot
/// leak into logs or error text by accident.
public struct GoldPassword: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    let value: String

    public init(_ value: String) { self.value = value }

    public var description: String { "(password)" }
    public var debugDescription: String { "(password)" }
}
