import ArgumentParser
import Foundation
import Gold
import JujuKit

struct GoldPublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish", abstract: "Publish a gold snapshot as a local image and point an alias at it.",
        discussion: "The aliases (default both juju/<series>/<arch>, which juju 2.x's LXD provider reads, and juju/<os>@<version>/<arch>, which juju 3.x reads; from the gold's /etc/os-release and architecture) move to the new image only once it exists, so they are never missing.")

    @OptionGroup var lxd: LXDOptions
    @Argument(help: ArgumentHelp("The gold snapshot (the newest when none is named).", valueName: "GOLD[/SNAPSHOT]")) var gold: GoldReference
    @Option(help: "Image alias to create or move.") var alias: String?
    @Option(help: "LXD compression algorithm for the image (none is fastest for local use).") var compression = "none"

    func run() async throws {
        let publication = try await lxd.withClient { client in
            try await GoldPublisher(lxd: client, progress: ProgressPrinter.plain()).publish(gold, alias: alias, compression: compression)
        }
        let aliases = publication.aliases.map { alias in
            JujuPlatform.jujuLines(readingAlias: alias).map { "\(alias) (for \($0))" } ?? alias
        }
        print("published \(publication.source) as image \(publication.fingerprint.prefix(12)); \(aliases.count == 1 ? "alias" : "aliases") \(aliases.joined(separator: ", ")) point\(aliases.count == 1 ? "s" : "") at it")
        if let previous = publication.previousFingerprint {
            print("the alias pointed at image \(previous.prefix(12)) before; remove that with `lxc image delete \(previous.prefix(12))` when nothing needs it")
        }
    }
}
