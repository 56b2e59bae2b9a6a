import GoldfleetSupport

/// A machine's pipeline stopped at `step`. Wraps the underlying error so the report names the
/// machine and the step, and keeps the underlying hint.
public struct MachineFailure: UserFacingError {
    public let machine: String
    public let step: MachineStep
    public let underlying: any Error

    public init(machine: String, step: MachineStep, underlying: any Error) {
        self.machine = machine
        self.step = step
        self.underlying = underlying
    }

    public var message: String { "\(machine): \(step.title) failed: \(Self.text(of: underlying))" }
    public var hint: String? { Self.hint(for: underlying) }

    /// The hint shown for a machine stopped by `error`. Spelled out with `if`: the one-line
    /// `MachineFailure.hint(for: error) ?? (cond ? "…" : nil)` type-checks to a value that
    /// is always nil (Swift 6.3), which silently dropped every hint from `up` reports.
    static func hint(for error: any Error) -> String? {
        if let error = error as? any UserFacingError { return error.hint }
        if error is CancellationError { return "run `goldfleet up` again; it finishes only what is missing" }
        return nil
    }

    static func text(of error: any Error) -> String {
        if let error = error as? any UserFacingError { return error.message }
        if error is CancellationError { return "interrupted" }
        return String(describing: error)
    }
}

/// A plain failure with a message and a hint, for checks the orchestrator makes itself.
public struct OrchestratorError: UserFacingError {
    public let message: String
    public let hint: String?

    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }
}
