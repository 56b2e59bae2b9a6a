import LXDKit

/// Runs commands as root inside one instance through LXD's exec API; a failing command becomes
/// a `GoldError` that names the step and quotes the command's own error output.
struct GoldShell: Sendable {
    let lxd: any LXDOperations
    let instance: String

    /// Runs `command`; throws when it exits non-zero.
    @discardableResult
    func run(_ command: [String], environment: [String: String] = [:], while step: String, hint: String? = nil) async throws -> LXDExecResult {
        let result = try await lxd.exec(instance: instance, command: command, environment: environment)
        guard result.exitCode == 0 else {
            let output = (result.stderr.isEmpty ? result.stdout : result.stderr).trimmingCharacters(in: .whitespacesAndNewlines)
            throw GoldError("\(step) failed in instance \(instance): `\(command.joined(separator: " "))` exited with \(result.exitCode)"
                            + (output.isEmpty ? "" : ": \(output.suffix(600))"), hint: hint)
        }
        return result
    }

    /// Runs a shell script; throws when it exits non-zero.
    @discardableResult
    func script(_ text: String, environment: [String: String] = [:], while step: String, hint: String? = nil) async throws -> LXDExecResult {
        try await run(["/bin/sh", "-c", text], environment: environment, while: step, hint: hint)
    }

    /// Runs `command` and returns whatever happened, non-zero exits included.
    func probe(_ command: [String], environment: [String: String] = [:]) async throws -> LXDExecResult {
        try await lxd.exec(instance: instance, command: command, environment: environment)
    }

    /// Waits until systemd finished booting (`running` or `degraded`), and returns that state
    /// with the failed units when degraded. Right after a start, PID 1 may not answer yet
    /// (`offline`): that is retried until the deadline.
    func waitForSystem(timeout: Duration) async throws -> (state: String, failedUnits: [String]) {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var state = ""
        while true {
            let remaining = max(1, Int(clock.now.duration(to: deadline).components.seconds))
            let result = try await probe(["timeout", String(remaining), "systemctl", "is-system-running", "--wait"])
            state = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            switch state {
            case "running":
                return (state, [])
            case "degraded":
                let failed = try await probe(["systemctl", "list-units", "--state=failed", "--no-legend", "--plain"])
                let units = failed.stdout.split(whereSeparator: \.isNewline).compactMap { $0.split(separator: " ").first.map(String.init) }
                return (state, units)
            case "maintenance", "stopping":
                break
            default:
                if clock.now < deadline {
                    try await Task.sleep(for: .milliseconds(200))
                    continue
                }
            }
            throw GoldError("instance \(instance) did not finish booting within \(timeout) (systemd says `\(state.isEmpty ? "nothing" : state)`)",
                            hint: "look at `lxc exec \(instance) -- systemctl list-jobs` and `journalctl -b` inside it")
        }
    }
}
