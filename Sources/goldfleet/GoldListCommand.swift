import ArgumentParser
import Foundation
import Gold
import JujuKit

struct GoldListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List golds, their snapshots and the image aliases published from them.")

    @OptionGroup var lxd: LXDOptions
    @Argument(help: "More instances to show (golds tagged user.goldfleet.gold=true are always shown).") var names: [String] = []

    func run() async throws {
        let golds = try await lxd.withClient { try await GoldList.golds(lxd: $0, named: names) }
        guard !golds.isEmpty else { return print("no golds (build one with `goldfleet gold build`)") }
        var table = Table(header: ["GOLD", "STATUS", "BUILT BY", "SNAPSHOTS", "IMAGES", "PICKED UP BY"])
        for gold in golds {
            let images = gold.images.map { image in
                "\(image.snapshot)→\(image.fingerprint.prefix(12))" + (image.aliases.isEmpty ? "" : " (\(image.aliases.map(Self.withJujuLine).joined(separator: ", ")))")
            }
            table.rows.append([gold.name, gold.status, gold.builtByGoldfleet ? "goldfleet" : "hand",
                               gold.snapshots.isEmpty ? "-" : gold.snapshots.joined(separator: " "),
                               images.isEmpty ? "-" : images.joined(separator: "; "),
                               gold.images.isEmpty ? "-" : gold.images.map { "\($0.fingerprint.prefix(12)): \($0.jujuPickup)" }.joined(separator: "; ")])
        }
        print(table.rendered())
    }

    /// `juju/jammy/amd64` → `juju/jammy/amd64 [juju 2.x]`: which juju's LXD provider launches it.
    static func withJujuLine(_ alias: String) -> String {
        JujuPlatform.jujuLines(readingAlias: alias).map { "\(alias) [\($0)]" } ?? alias
    }
}
