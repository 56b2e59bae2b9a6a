import ArgumentParser
import Foundation
import Gold
import GoldfleetSupport
import JujuKit
import LXDKit

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

/// How the gold commands reach LXD.
struct GoldLXDOptions: ParsableArguments {
    @Option(name: .customLong("lxd-socket"), help: ArgumentHelp(
        "LXD's unix socket.", discussion: "Default: $LXD_SOCKET, $LXD_DIR/unix.socket, then the snap, Debian and Incus paths.", valueName: "path"))
    var lxdSocket: String?

    func withClient<T: Sendable>(_ body: (LXDClient) async throws -> T) async throws -> T {
        let socket = try await LXDClient.discoverSocket(explicit: lxdSocket, environment: ProcessInfo.processInfo.environment)
        return try await LXDClient.withClient(.unixSocket(path: socket), body)
    }
}

struct GoldBuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build", abstract: "Build a clone-safe gold container from an image and snapshot it.",
        discussion: """
            Launches the image, sets up ubuntu (password, passwordless sudo, password SSH), optionally \
            installs packages and a wheelhouse, turns off automatic updates, makes it clone-safe (empty \
            machine-id, no SSH host keys, keys generated on first boot), stops it and takes the next snapN.
            """)

    @OptionGroup var lxd: GoldLXDOptions
    @Option(help: ArgumentHelp(
        "Image to start from: a local alias, or REMOTE:ALIAS of an lxc remote (ubuntu:24.04).",
        discussion: "REMOTE is a remote of lxc's config.yml or one of lxc's built-in ubuntu, ubuntu-daily, ubuntu-minimal(-daily); LXD downloads the image, so the LXD host needs HTTPS access to the server. juju's manual provider takes Ubuntu machines only.",
        valueName: "image"))
    var from = GoldBuildOptions.defaultBaseImage
    @Option(name: .customLong("from-server"), help: ArgumentHelp("Image server of --from (then --from is an alias there).", valueName: "https-url"))
    var fromServer: String?
    @Option(name: .customLong("from-protocol"), help: ArgumentHelp("Protocol of --from-server: simplestreams (default) or lxd.", valueName: "protocol"))
    var fromProtocol: String?
    @Option(help: "Name of the gold instance.") var name = "gold"
    @Option(help: "Storage pool of its root disk (default: the default profile's).") var pool: String?
    @Option(help: "Debian packages to install, comma-separated (needs a reachable mirror).") var packages: String?
    @Option(name: .customLong("password-env"), help: ArgumentHelp("Environment variable holding ubuntu's password.", valueName: "VAR"))
    var passwordEnv: String?
    @Option(name: .customLong("password-file"), help: ArgumentHelp("File whose first line is ubuntu's password.", valueName: "path"))
    var passwordFile: String?
    @Option(help: ArgumentHelp("Local directory of wheels to copy to ~ubuntu/wheelhouse.", valueName: "dir")) var wheelhouse: String?
    @Flag(name: .customLong("pip-install"), help: "Pre-install the wheelhouse for the system Python (as root, where charm hooks look), offline.") var pipInstall = false
    @Flag(name: .customLong("upgrade-pip"), help: "Upgrade pip itself (needs PyPI).") var upgradePip = false
    @Flag(help: "Delete an existing gold of that name first (only one goldfleet built).") var replace = false

    func validate() throws {
        if passwordEnv != nil && passwordFile != nil { throw ValidationError("give --password-env or --password-file, not both") }
        if pipInstall && wheelhouse == nil { throw ValidationError("--pip-install needs --wheelhouse DIR") }
    }

    func run() async throws {
        let options = GoldBuildOptions(
            name: name, baseImage: from, baseImageServer: fromServer, baseImageProtocol: fromProtocol, pool: pool,
            packages: (packages ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            password: try readPassword(), wheelhouse: wheelhouse, pipInstallWheelhouse: pipInstall, upgradePip: upgradePip, replace: replace)
        let lxd = self.lxd
        // Ctrl-C cancels: the half-built gold is deleted instead of left behind.
        let report = try await reportingErrors {
            try await Interruption.cancellingOnSignal {
                try await lxd.withClient { client in try await GoldBuilder(lxd: client, progress: GoldProgressPrinter().report).build(options) }
            }
        }
        for check in report.checks where check.status == .failed { print("FAIL \(check.name): \(check.detail)") }
        print("built \(report.source) in \(String(format: "%.1f", report.total.seconds)) s")
        print("check it with `goldfleet gold doctor \(report.source)`; clone it with `gold: \(report.source)` in an inventory")
    }

    /// The password from the environment or a file; never from argv.
    private func readPassword() throws -> GoldPassword? {
        if let variable = passwordEnv {
            guard let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty else {
                throw GoldError("environment variable \(variable) (--password-env) is not set or empty", hint: "export \(variable)=… first")
            }
            return GoldPassword(value)
        }
        if let path = passwordFile {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8),
                  let line = text.split(separator: "\n", omittingEmptySubsequences: false).first, !line.isEmpty else {
                throw GoldError("cannot read a password from \(path) (--password-file)", hint: "put the password on the file's first line (mode 600)")
            }
            return GoldPassword(String(line))
        }
        return nil
    }
}

struct GoldDoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor", abstract: "Check that a gold gives usable, clone-safe machines.",
        discussion: "Clones GOLD/SNAPSHOT (or the stopped GOLD) into a temporary instance, checks its files, boots it and checks it, then deletes it. Exits non-zero when a check fails.")

    @OptionGroup var lxd: GoldLXDOptions
    @Argument(help: ArgumentHelp("The gold, optionally with a snapshot.", valueName: "GOLD[/SNAPSHOT]")) var gold: String
    @Option(help: "Storage pool of the temporary clone.") var pool: String?

    func run() async throws {
        let reference = try parseGold(gold)
        let (lxd, pool) = (self.lxd, self.pool)
        // Ctrl-C cancels: the temporary clone is still deleted.
        let report = try await reportingErrors {
            try await Interruption.cancellingOnSignal {
                try await lxd.withClient { client in
                    try await GoldDoctor(lxd: client, options: .init(pool: pool), progress: GoldProgressPrinter().report).examine(reference)
                }
            }
        }
        print(report.rendered())
        if !report.passed { throw ExitCode.failure }
    }
}

struct GoldSnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "snapshot", abstract: "Take the next snapN of a stopped gold.")

    @OptionGroup var lxd: GoldLXDOptions
    @Argument(help: "The gold instance.") var gold: String

    func run() async throws {
        let result = try await reportingErrors { try await lxd.withClient { try await GoldSnapshotter.snapshot(lxd: $0, gold: gold) } }
        print("took \(gold)/\(result.snapshot)")
        for check in result.checks where check.status == .failed {
            print("warning: \(check.name): \(check.detail)\n  fix: \(check.fix ?? "")")
        }
    }
}

struct GoldPublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish", abstract: "Publish a gold snapshot as a local image and point an alias at it.",
        discussion: "The aliases (default both juju/<series>/<arch>, which juju 2.x's LXD provider reads, and juju/<os>@<version>/<arch>, which juju 3.x reads; from the gold's /etc/os-release and architecture) move to the new image only once it exists, so they are never missing.")

    @OptionGroup var lxd: GoldLXDOptions
    @Argument(help: ArgumentHelp("The gold snapshot (the newest when none is named).", valueName: "GOLD[/SNAPSHOT]")) var gold: String
    @Option(help: "Image alias to create or move.") var alias: String?
    @Option(help: "LXD compression algorithm for the image (none is fastest for local use).") var compression = "none"

    func run() async throws {
        let reference = try parseGold(gold)
        let publication = try await reportingErrors {
            try await lxd.withClient { client in
                try await GoldPublisher(lxd: client, progress: GoldProgressPrinter().report).publish(reference, alias: alias, compression: compression)
            }
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

struct GoldListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List golds, their snapshots and the image aliases published from them.")

    @OptionGroup var lxd: GoldLXDOptions
    @Argument(help: "More instances to show (golds tagged user.goldfleet.gold=true are always shown).") var names: [String] = []

    func run() async throws {
        let golds = try await reportingErrors { try await lxd.withClient { try await GoldList.golds(lxd: $0, named: names) } }
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

private func parseGold(_ text: String) throws -> GoldReference {
    guard let reference = GoldReference(parsing: text) else { throw ValidationError("`\(text)` is not GOLD or GOLD/SNAPSHOT") }
    return reference
}

/// Prints a user-facing error's message and hint on stderr and exits non-zero.
private func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as any UserFacingError {
        FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
        if let hint = error.hint { FileHandle.standardError.write(Data("  hint: \(hint)\n".utf8)) }
        throw ExitCode.failure
    } catch is CancellationError {
        FileHandle.standardError.write(Data("interrupted; what this command created was removed\n".utf8))
        throw ExitCode(130)
    }
}

/// Progress of the gold commands on stderr: one line per step, with its time.
final class GoldProgressPrinter: Sendable {
    private let started = ContinuousClock.now

    func report(_ event: GoldProgressEvent) {
        let elapsed = String(format: "[%6.2fs]", (ContinuousClock.now - started).seconds)
        let line = switch event {
        case .stepStarted(let title): "\(elapsed) … \(title)"
        case .stepFinished(let title, let duration): "\(elapsed) ✓ \(title) (\(String(format: "%.2f", duration.seconds)) s)"
        case .note(let text): "\(elapsed) • \(text)"
        case .warning(let text): "\(elapsed) warning: \(text)"
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
