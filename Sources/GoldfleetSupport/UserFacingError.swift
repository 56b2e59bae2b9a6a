/// An error a person reads: what went wrong, and what to do about it.
///
/// Every error goldfleet shows conforms, so the CLI prints `message` and, on its own line,
/// `hint`. Neither may ever contain a secret.
public protocol UserFacingError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, naming the file/line/key or the machine and step.
    var message: String { get }
    /// What the user can do next; `nil` when there is nothing useful to say.
    var hint: String? { get }
}

extension UserFacingError {
    public var hint: String? { nil }
    public var description: String {
        if let hint { return "\(message)\n  hint: \(hint)" }
        return message
    }
}
