import ArgumentParser
import Foundation
import Gold

struct GoldSnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "snapshot", abstract: "Take the next snapN of a stopped gold.")

    @OptionGroup var lxd: LXDOptions
    @Argument(help: "The gold instance.") var gold: String

    func run() async throws {
        let result = try await lxd.withClient { try await GoldSnapshotter.snapshot(lxd: $0, gold: gold) }
        print("took \(gold)/\(result.snapshot)")
        for check in result.checks where check.status == .failed {
            print("warning: \(check.name): \(check.detail)\n  fix: \(check.fix ?? "")")
        }
    }
}
