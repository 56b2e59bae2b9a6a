import GoldfleetSupport
import Inventory

/// A failure the command-line layer itself finds, worded in one place (as `SSHError`'s
/// factories are). Library errors are printed as they are: they already carry a hint.
struct CommandLineError: UserFacingError, Equatable {
    let message: String
    let hint: String?
    /// The exit status: 1, or 130 (as a shell reports SIGINT) for an interruption.
    var status: Int32 = 1

    /// Ctrl-C or SIGTERM stopped the command before it finished.
    static let interrupted = CommandLineError(
        message: "interrupted", hint: "run the command again; goldfleet finishes what is missing", status: 130)

    /// As `interrupted`, for the commands that delete what they had started (gold build, gold doctor).
    static let interruptedAndCleanedUp = CommandLineError(
        message: "interrupted; what this command created was removed", hint: nil, status: 130)

    static func passwordUnavailable(_ missing: PasswordResolver.Missing, option: String) -> CommandLineError {
        let hint = switch missing.source {
        case .environment(let name): missing.code == .containsNUL ? missing.hint : "export \(name)=… first, or use --password-file"
        case .file(let path): missing.code == .containsNUL ? missing.hint : "put the password on the first line of \(path) (mode 600)"
        case .inline: missing.hint
        }
        return CommandLineError(message: "\(missing.message) (\(option))", hint: hint)
    }

    static func notWritten(bundle: String, errors: Int) -> CommandLineError {
        CommandLineError(
            message: "nothing written: the inventory made from \(bundle) has \(errors) error\(errors == 1 ? "" : "s") (above)",
            hint: "fix the bundle or pass --name")
    }

    static func cannotWrite(_ path: String, reason: String) -> CommandLineError {
        CommandLineError(message: "cannot write \(path): \(reason)", hint: "check that its directory exists and is writable")
    }
}
