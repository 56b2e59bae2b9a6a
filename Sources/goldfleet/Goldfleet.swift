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
}
