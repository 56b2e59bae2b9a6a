import GoldfleetSupport

/// A gold command could not do what was asked; says what, where, and how to fix it.
public struct GoldError: UserFacingError, Equatable {
    public let message: String
    public let hint: String?

    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }
}
