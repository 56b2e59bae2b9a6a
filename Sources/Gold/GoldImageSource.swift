import LXDKit

/// Where `gold build --from` takes its base image, read the way `lxc launch` reads an image name:
/// `ALIAS` is a local alias, `REMOTE:ALIAS` an image on the lxc remote REMOTE (`ubuntu:24.04`),
/// and `--from-server URL` (with `--from-protocol`) names the image server outright. Resolving
/// reads files only (lxc's config.yml); LXD itself fetches a remote image when the gold is created.
public enum GoldImageSource: Sendable, Equatable, CustomStringConvertible {
    case local(alias: String)
    /// `remote` is the lxc remote's name when the user named one (for messages).
    case remote(LXDRemoteImage, remote: String?)

    /// The simplestreams remotes `lxc` knows without any configuration (its static remotes).
    public static let builtInServers: [String: String] = [
        "ubuntu": "https://cloud-images.ubuntu.com/releases",
        "ubuntu-daily": "https://cloud-images.ubuntu.com/daily",
        "ubuntu-minimal": "https://cloud-images.ubuntu.com/minimal/releases",
        "ubuntu-minimal-daily": "https://cloud-images.ubuntu.com/minimal/daily",
    ]

    /// Parses `--from` (and the optional `--from-server`/`--from-protocol`). Throws, before anything
    /// is created, for an empty alias, an unknown remote, a non-HTTPS server or an unknown protocol.
    public static func resolve(_ from: String, server: String? = nil, protocol requestedProtocol: String? = nil,
                               environment: [String: String]) throws -> GoldImageSource {
        let text = from.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else {
            throw GoldError("--from is empty", hint: "give a local image alias (`goldfleet/base/bookworm`) or REMOTE:ALIAS (`ubuntu:24.04`)")
        }
        if let server {
            return .remote(LXDRemoteImage(server: try checkedServer(server), imageProtocol: try parseProtocol(requestedProtocol ?? "simplestreams"),
                                          alias: try checkedAlias(text, server: server)), remote: nil)
        }
        if requestedProtocol != nil {
            throw GoldError("--from-protocol needs --from-server", hint: "name the image server with --from-server https://SERVER, or leave --from-protocol out")
        }
        guard let colon = text.firstIndex(of: ":") else { return .local(alias: text) }
        let name = String(text[..<colon])
        let alias = String(text[text.index(after: colon)...])
        guard !name.isEmpty else {
            throw GoldError("--from `\(text)` names no remote before the colon", hint: "write REMOTE:ALIAS (`ubuntu:24.04`), or a local alias without a colon")
        }
        guard !alias.isEmpty else {
            throw GoldError("--from `\(text)` names no image after `\(name):`", hint: "write REMOTE:ALIAS, e.g. `\(name):24.04`; `lxc image list \(name):` shows the images")
        }
        if let found = try LXCRemoteConfiguration.entry(name, environment: environment) {
            return try fromConfiguredRemote(name, entry: found.entry, file: found.file, alias: alias)
        }
        if let builtIn = builtInServers[name] {
            return .remote(LXDRemoteImage(server: builtIn, imageProtocol: .simplestreams, alias: alias), remote: name)
        }
        let searched = LXCRemoteConfiguration.directories(environment: environment).map { $0 + "/config.yml" }.joined(separator: ", ")
        throw GoldError("--from `\(text)`: there is no lxc remote `\(name)` (not in \(searched), and not one of lxc's built-in \(builtInServers.keys.sorted().joined(separator: ", ")))",
                        hint: "add it with `lxc remote add \(name) https://SERVER --protocol simplestreams`, or name the server: --from \(alias) --from-server https://SERVER")
    }

    /// A remote from lxc's config.yml: the local daemon (`unix://`) means a local alias; an image
    /// server is used with its protocol; an LXD server needs lxc's certificates, which goldfleet
    /// does not hand to the daemon.
    static func fromConfiguredRemote(_ name: String, entry: [String: Any], file: String, alias: String) throws -> GoldImageSource {
        guard let address = entry["addr"] as? String, !address.isEmpty else {
            throw GoldError("the lxc remote `\(name)` in \(file) has no `addr`", hint: "add it again with `lxc remote add \(name) https://SERVER --protocol simplestreams`")
        }
        if address.hasPrefix("unix:") { return .local(alias: alias) }
        let given = entry["protocol"] as? String ?? "lxd"
        let imageProtocol = try parseProtocol(given)
        if imageProtocol == .lxd && (entry["public"] as? Bool) != true {
            throw GoldError("the lxc remote `\(name)` (\(address)) is a private LXD server; LXD would need lxc's certificates for it",
                            hint: "copy the image first (`lxc image copy \(name):\(alias) local: --alias \(alias)`) and give --from \(alias)")
        }
        return .remote(LXDRemoteImage(server: try checkedServer(address), imageProtocol: imageProtocol, alias: alias), remote: name)
    }

    static func checkedServer(_ server: String) throws -> String {
        let trimmed = server.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("https://"), trimmed.count > "https://".count, !trimmed.contains(where: \.isWhitespace) else {
            throw GoldError("image server `\(server)` is not an https:// URL", hint: "LXD fetches remote images over HTTPS only, e.g. --from-server https://cloud-images.ubuntu.com/releases")
        }
        return trimmed.hasSuffix("/") ? String(trimmed.dropLast()) : trimmed
    }

    static func checkedAlias(_ alias: String, server: String) throws -> String {
        guard !alias.contains(":") else {
            throw GoldError("--from `\(alias)` names a remote and --from-server \(server) names another", hint: "with --from-server, give --from the image's alias alone (`24.04`)")
        }
        return alias
    }

    static func parseProtocol(_ text: String) throws -> LXDRemoteImage.ImageProtocol {
        guard let value = LXDRemoteImage.ImageProtocol(rawValue: text) else {
            throw GoldError("image server protocol `\(text)` is not one LXD speaks",
                            hint: "use \(LXDRemoteImage.ImageProtocol.allCases.map(\.rawValue).joined(separator: " or ")) (simplestreams for cloud-images.ubuntu.com)")
        }
        return value
    }

    /// What LXD's create request carries.
    public var instanceSource: LXDCreateInstance.Source {
        switch self {
        case .local(let alias): .image(alias: alias)
        case .remote(let image, _): .remoteImage(image)
        }
    }

    /// The lxc remote's name the user wrote (`ubuntu` of `ubuntu:24.04`), if any.
    public var remoteName: String? {
        if case .remote(_, let remote) = self { return remote }
        return nil
    }

    /// `goldfleet/base/bookworm`, `ubuntu:24.04`, or `24.04 from https://…`.
    public var description: String {
        switch self {
        case .local(let alias): alias
        case .remote(let image, let remote?): "\(remote):\(image.alias)"
        case .remote(let image, nil): "\(image.alias) from \(image.server)"
        }
    }
}
