import Foundation
import GoldfleetSupport

/// A juju command that exited non-zero (or printed something goldfleet cannot read).
///
/// Shows the command line with config values redacted, juju's own `ERROR …` text, and a hint
/// chosen from what juju said.
public struct JujuError: UserFacingError, Equatable {
    /// What went wrong, as far as goldfleet can tell from juju's message.
    public enum Reason: Sendable, Hashable {
        /// The host already runs a juju machine agent (`machine is already provisioned`).
        case alreadyProvisioned
        /// juju could not log in as `ubuntu` with its key (`Permission denied (publickey…)`).
        case keyAuthenticationRefused
        /// `sudo -n true` failed: the user needs passwordless sudo.
        case sudoNeedsPassword
        /// OpenSSH refused the host key (unknown or changed).
        case hostKeyNotTrusted
        /// Could not reach the host over ssh at all.
        case hostUnreachable
        /// A machine, model or application juju does not have (`… not found`).
        case notFound
        case alreadyExists
        /// This juju does not know the subcommand (e.g. `integrate` on 2.9).
        case unknownCommand
        /// juju rejected the flags or arguments (exit status 2).
        case usage
        /// juju succeeded but its output could not be read.
        case unreadableOutput
        case other
    }

    /// The command line as shown to people; `--config` and model-config values are redacted.
    public let commandLine: String
    public let exitCode: Int32
    /// juju's own message, without the `ERROR ` prefix.
    public let jujuMessage: String
    public let reason: Reason

    public init(commandLine: String, exitCode: Int32, jujuMessage: String, reason: Reason) {
        self.commandLine = commandLine
        self.exitCode = exitCode
        self.jujuMessage = jujuMessage
        self.reason = reason
    }

    /// Builds the error for a failed run from juju's stderr.
    public init(command: Command, result: ProcessResult) {
        let text = Self.jujuMessage(fromStandardError: result.standardError, exitCode: result.exitCode)
        var reason = Self.classify(text, exitCode: result.exitCode)
        // add-machine's fallback login (password auth, PTY) writes the remote side to juju's
        // stdout: a sudo prompt there means `ubuntu` has no passwordless sudo.
        if reason == .other, result.standardOutput.contains("[sudo] password for") { reason = .sudoNeedsPassword }
        self.init(commandLine: Self.redacted(command), exitCode: result.exitCode, jujuMessage: text, reason: reason)
    }

    public var message: String { "`\(commandLine)` failed: \(jujuMessage)" }

    public var hint: String? {
        switch reason {
        case .alreadyProvisioned:
            return "this host already carries a juju machine agent (a jujud-machine-* service and /var/lib/juju), so juju will not add it again; goldfleet clones must come from a gold snapshot that was never a juju machine — rebuild the gold from a clean base and clone again"
        case .keyAuthenticationRefused:
            return "juju logs in as `ubuntu` with its own key ($JUJU_DATA/ssh/juju_id_rsa, default ~/.local/share/juju) and your ~/.ssh keys; append those public keys to ~ubuntu/.ssh/authorized_keys on the machine"
        case .sudoNeedsPassword:
            return "juju needs passwordless sudo for `ubuntu` on the machine: add `ubuntu ALL=(ALL) NOPASSWD:ALL` to a file in /etc/sudoers.d/"
        case .hostKeyNotTrusted:
            return "juju's ssh checks host keys against ~/.ssh/known_hosts; add the machine's host key there (and remove stale entries for a reused address)"
        case .hostUnreachable:
            return "check that the machine is running, has this address and that sshd listens on port 22"
        case .notFound:
            let lower = jujuMessage.lowercased()
            if lower.contains("machine") {
                return "list the model's machines with `juju machines -m MODEL`; placements (--to) must name existing machines"
            }
            if lower.contains("application") { return "deploy the application first, or check its name in `juju status`" }
            return "create the model first (`juju add-model NAME`) or pick an existing one from `juju models`"
        case .alreadyExists:
            return "it is already there; remove it first or choose another name"
        case .unknownCommand:
            return "this juju version does not have that command; check `juju version` (juju 3.x uses `integrate`, 2.9 uses `add-relation`)"
        case .usage:
            return "juju rejected the arguments; this juju version may not support a flag goldfleet used — check `juju version`"
        case .unreadableOutput:
            return "juju's output format may have changed; run the command by hand to compare"
        case .other:
            return nil
        }
    }

    /// The first `ERROR …` line and what follows it; otherwise the last line juju printed.
    static func jujuMessage(fromStandardError stderr: String, exitCode: Int32) -> String {
        let lines = stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let index = lines.firstIndex(where: { $0.hasPrefix("ERROR ") }) {
            let rest = lines[index...].joined(separator: "\n").dropFirst("ERROR ".count)
            return rest.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let last = lines.last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            return last.trimmingCharacters(in: .whitespaces)
        }
        return "exit status \(exitCode)"
    }

    static func classify(_ text: String, exitCode: Int32) -> Reason {
        let lower = text.lowercased()
        if lower.contains("already provisioned") { return .alreadyProvisioned }
        if lower.contains("host key verification failed") || lower.contains("remote host identification has changed") { return .hostKeyNotTrusted }
        if lower.contains("permission denied (publickey") { return .keyAuthenticationRefused }
        if lower.contains("sudo:") && (lower.contains("password is required") || lower.contains("terminal is required")) { return .sudoNeedsPassword }
        if lower.contains("connection refused") || lower.contains("no route to host") || lower.contains("connection timed out") || lower.contains("could not resolve hostname") { return .hostUnreachable }
        if lower.contains("is not a juju command") || lower.contains("unrecognized command") { return .unknownCommand }
        if lower.contains("option provided but not defined") || lower.contains("unrecognized args") || lower.contains("cannot use -n") { return .usage }
        if lower.contains("not found") { return .notFound }
        if lower.contains("already exists") { return .alreadyExists }
        return exitCode == 2 ? .usage : .other
    }

    /// Renders the command for people, hiding config values (`JujuRedaction`).
    public static func redacted(_ command: Command) -> String {
        ([Command.quoted(command.executable)] + JujuRedaction.line(command.arguments) { Command.quoted($0) })
            .joined(separator: " ")
    }
}

/// No juju client could be found.
public struct JujuNotFoundError: UserFacingError, Equatable {
    /// What was looked for: an explicit path, `$GOLDFLEET_JUJU`, or `juju` on PATH.
    public let searched: String

    public var message: String { "juju not found: \(searched)" }
    public var hint: String? {
        "install the juju client (`sudo snap install juju --classic`), or point goldfleet at one with `--juju PATH` or GOLDFLEET_JUJU=PATH"
    }
}
