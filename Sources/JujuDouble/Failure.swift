/// How a juju command ends badly. juju prints `ERROR <message>` on stderr; flag and argument
/// errors (found before the command runs) exit 2, everything else exits 1 — as juju's cmd.Main does.
struct Failure: Error {
    var message: String
    var exitCode: Int32

    /// A usage error: unknown flag, missing or extra arguments (exit 2).
    static func usage(_ message: String) -> Failure { Failure(message: message, exitCode: 2) }
    /// An error while running the command (exit 1).
    static func failed(_ message: String) -> Failure { Failure(message: message, exitCode: 1) }
}
