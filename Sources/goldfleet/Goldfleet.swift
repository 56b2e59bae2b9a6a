import ArgumentParser
import GoldfleetSupport

@main
struct Goldfleet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "goldfleet",
        abstract: "Multi-machine Juju test environments from a gold LXD snapshot, in seconds.",
        discussion: """
            goldfleet clones a gold LXD container into the machines an inventory names, verifies \
            them over SSH, copies the Python wheelhouse, registers them with `juju add-machine \
            ssh:ubuntu@IP` and places charms with `juju deploy --to`.
            """,
        version: GoldfleetVersion.current,
        subcommands: [
            ValidateCommand.self, PlanCommand.self, UpCommand.self, StatusCommand.self, ListCommand.self,
            ResetCommand.self, CycleCommand.self, DownCommand.self, ExportCommand.self, ImportBundleCommand.self, GoldCommand.self,
        ]
    )

    /// ArgumentParser's `main`, with one change: what a command throws is printed by
    /// `ErrorOutput` (`error:` and `hint:` lines) instead of as `Error: <description>`; usage
    /// mistakes, `--help` and `--version` keep ArgumentParser's own output.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            ErrorOutput.exit(with: error)
        }
    }
}
