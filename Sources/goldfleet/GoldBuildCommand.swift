import ArgumentParser
import Foundation
import Gold
import GoldfleetSupport
import Inventory

struct GoldBuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build", abstract: "Build a clone-safe gold container from an image and snapshot it.",
        discussion: """
            Launches the image, sets up ubuntu (password, passwordless sudo, password SSH), optionally \
            installs packages and a wheelhouse, turns off automatic updates, makes it clone-safe (empty \
            machine-id, no SSH host keys, keys generated on first boot), stops it and takes the next snapN.
            """)

    @OptionGroup var lxd: LXDOptions
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
            password: try password(), wheelhouse: wheelhouse, pipInstallWheelhouse: pipInstall, upgradePip: upgradePip, replace: replace)
        let lxd = self.lxd
        // Ctrl-C cancels: the half-built gold is deleted instead of left behind.
        let report = try await Interruption.cancellingOnSignal(removesWhatItMade: true) {
            try await lxd.withClient { client in try await GoldBuilder(lxd: client, progress: ProgressPrinter.plain()).build(options) }
        }
        for check in report.checks where check.status == .failed { print("FAIL \(check.name): \(check.detail)") }
        print("built \(report.source) in \(String(format: "%.1f", report.total.seconds)) s")
        print("check it with `goldfleet gold doctor \(report.source)`; clone it with `gold: \(report.source)` in an inventory")
    }

    /// ubuntu's password, read by the same rules as an inventory's `ssh.password`; never from argv.
    private func password() throws -> Secret? {
        let (source, option): (PasswordSource, String)
        if let passwordEnv {
            (source, option) = (.environment(passwordEnv), "--password-env")
        } else if let passwordFile {
            (source, option) = (.file(URL(fileURLWithPath: passwordFile).path), "--password-file")
        } else {
            return nil
        }
        do {
            return try PasswordResolver.resolve(source)
        } catch let missing as PasswordResolver.Missing {
            throw CommandLineError.passwordUnavailable(missing, option: option)
        }
    }
}
