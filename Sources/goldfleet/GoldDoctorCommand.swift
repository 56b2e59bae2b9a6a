import ArgumentParser
import Foundation
import Gold

struct GoldDoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor", abstract: "Check that a gold gives usable, clone-safe machines.",
        discussion: "Clones GOLD/SNAPSHOT (or the stopped GOLD) into a temporary instance, checks its files, boots it and checks it, then deletes it. Exits non-zero when a check fails.")

    @OptionGroup var lxd: LXDOptions
    @Argument(help: ArgumentHelp("The gold, optionally with a snapshot.", valueName: "GOLD[/SNAPSHOT]")) var gold: GoldReference
    @Option(help: "Storage pool of the temporary clone.") var pool: String?

    func run() async throws {
                let (lxd, pool) = (self.lxd, self.pool)
        // Ctrl-C cancels: the temporary clone is still deleted.
        let gold = self.gold
        let report = try await Interruption.cancellingOnSignal(removesWhatItMade: true) {
            try await lxd.withClient { client in
                try await GoldDoctor(lxd: client, options: .init(pool: pool), progress: ProgressPrinter.plain()).examine(gold)
            }
        }
        print(report.rendered())
        if !report.passed { throw ExitCode.failure }
    }
}
