import Foundation
import GoldfleetSupport
import Inventory

/// What `goldfleet gold build` makes.
public struct GoldBuildOptions: Sendable {
    /// The gold instance's name.
    public var name: String
    /// What `--from` says: a local image alias, or `REMOTE:ALIAS` of an lxc remote (`ubuntu:24.04`);
    /// see `GoldImageSource`.
    public var baseImage: String
    /// `--from-server`: the image server of `baseImage` (then an alias on that server), e.g.
    /// `https://cloud-images.ubuntu.com/releases`.
    public var baseImageServer: String?
    /// `--from-protocol` with `--from-server`: `simplestreams` (default) or `lxd`.
    public var baseImageProtocol: String?
    /// Where lxc's remotes are looked up (`HOME`, `LXD_CONF`).
    public var lxcEnvironment: [String: String]
    /// Storage pool of its root disk; `nil` keeps the default profile's.
    public var pool: String?
    /// Debian packages to install with apt (needs a reachable mirror; nothing is installed when empty).
    public var packages: [String]
    /// The password to give `ubuntu`; `nil` keeps the image's.
    public var password: Secret?
    /// A local directory of wheels copied to `~ubuntu/wheelhouse`.
    public var wheelhouse: String?
    /// Pre-install the wheelhouse for the system Python, offline (root `pip install --no-index`; charm hooks run as root).
    public var pipInstallWheelhouse: Bool
    /// Upgrade pip itself (needs PyPI).
    public var upgradePip: Bool
    /// Delete an existing gold of that name first, if goldfleet built it.
    public var replace: Bool
    /// More config keys for the gold (tests add `user.goldfleet.test`).
    public var extraConfig: [String: String]
    /// How long booting may take before the build gives up.
    public var bootTimeout: Duration

    public static let defaultBaseImage = "goldfleet/base/bookworm"

    public init(name: String, baseImage: String = GoldBuildOptions.defaultBaseImage, baseImageServer: String? = nil, baseImageProtocol: String? = nil,
                lxcEnvironment: [String: String] = ProcessInfo.processInfo.environment, pool: String? = nil, packages: [String] = [],
                password: Secret? = nil, wheelhouse: String? = nil, pipInstallWheelhouse: Bool = false, upgradePip: Bool = false,
                replace: Bool = false, extraConfig: [String: String] = [:], bootTimeout: Duration = .seconds(120)) {
        self.name = name
        self.baseImage = baseImage
        self.baseImageServer = baseImageServer
        self.baseImageProtocol = baseImageProtocol
        self.lxcEnvironment = lxcEnvironment
        self.pool = pool
        self.packages = packages
        self.password = password
        self.wheelhouse = wheelhouse
        self.pipInstallWheelhouse = pipInstallWheelhouse
        self.upgradePip = upgradePip
        self.replace = replace
        self.extraConfig = extraConfig
        self.bootTimeout = bootTimeout
    }

    /// The base image `--from` (with `--from-server`/`--from-protocol`) names; throws for a remote
    /// lxc does not know, without any network traffic.
    public func imageSource() throws -> GoldImageSource {
        try GoldImageSource.resolve(baseImage, server: baseImageServer, protocol: baseImageProtocol, environment: lxcEnvironment)
    }

    /// Problems with the options themselves, found before anything is created.
    public func problems() -> [String] {
        var problems: [String] = []
        if let problem = InstanceName.problem(with: name) {
            problems.append(problem)
        }
        for package in packages where !DebianPackage.isValidName(package) {
            problems.append("`\(package)` is not a Debian package name")
        }
        if pipInstallWheelhouse && wheelhouse == nil {
            problems.append("--pip-install needs --wheelhouse DIR")
        }
        if let password, password.revealedValue.contains(where: { $0 == "\n" || $0 == "\r" }) {
            problems.append("the password contains a line break, which chpasswd cannot take")
        }
        return problems
    }
}

/// Debian's rule for package names (Policy §5.6.1), checked before apt runs inside the gold.
enum DebianPackage {
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter || first.isNumber else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || "+-.:=~".contains($0)) }
    }
}
