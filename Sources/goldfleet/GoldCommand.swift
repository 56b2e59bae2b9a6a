import ArgumentParser

/// `goldfleet gold …`: build, check, snapshot, publish and list the gold containers that
/// environments are cloned from.
struct GoldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gold",
        abstract: "Build, check, snapshot, publish and list gold containers.",
        discussion: "A gold is a stopped, clone-safe LXD container whose snapshot `goldfleet up` clones into machines.",
        subcommands: [GoldBuildCommand.self, GoldDoctorCommand.self, GoldSnapshotCommand.self, GoldPublishCommand.self, GoldListCommand.self]
    )
}
