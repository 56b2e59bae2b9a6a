import Foundation
import TestSupport
import Testing
@testable import Gold
@testable import LXDKit

/// `gold build --from`: a local alias, `REMOTE:ALIAS` of an lxc remote, or an explicit image
/// server, and the create request each one makes. Files only: nothing is connected to.
@Suite("gold build --from")
struct GoldImageSourceTests {
    /// The bytes goldfleet's LXD client sends for a create request.
    static func requestJSON(_ source: GoldImageSource, name: String = "gold") throws -> String {
        let request = LXDCreateInstance(name: name, source: source.instanceSource, config: ["user.goldfleet.gold": "true"])
        guard case .json(let data) = try LXDRequestBody.encode(request.body) else { throw GoldError("not JSON") }
        return String(decoding: data, as: UTF8.self)
    }

    /// A HOME without any lxc configuration: only lxc's built-in remotes exist.
    static let bareHome = ["HOME": "/nonexistent/gft-home"]

    @Test("ubuntu:22.04 and ubuntu:24.04 become a simplestreams source on cloud-images.ubuntu.com/releases, byte for byte")
    func ubuntuRemote() throws {
        let jammy = try GoldImageSource.resolve("ubuntu:22.04", environment: Self.bareHome)
        #expect(jammy == .remote(LXDRemoteImage(server: "https://cloud-images.ubuntu.com/releases", imageProtocol: .simplestreams, alias: "22.04"),
                                 remote: "ubuntu"))
        #expect(try Self.requestJSON(jammy) == #"{"config":{"user.goldfleet.gold":"true"},"name":"gold","profiles":["default"],"#
                + #""source":{"alias":"22.04","protocol":"simplestreams","server":"https:\/\/cloud-images.ubuntu.com\/releases","type":"image"},"#
                + #""type":"container"}"#)
        let noble = try GoldImageSource.resolve("ubuntu:24.04", environment: Self.bareHome)
        #expect(try Self.requestJSON(noble).contains(#""source":{"alias":"24.04","protocol":"simplestreams","server":"https:\/\/cloud-images.ubuntu.com\/releases","type":"image"}"#))
        #expect(noble.description == "ubuntu:24.04")
        let daily = try GoldImageSource.resolve("ubuntu-daily:noble", environment: Self.bareHome)
        #expect(daily == .remote(LXDRemoteImage(server: "https://cloud-images.ubuntu.com/daily", alias: "noble"), remote: "ubuntu-daily"))
    }

    @Test("a local alias stays a local image source, as before")
    func localAlias() throws {
        let local = try GoldImageSource.resolve("goldfleet/base/bookworm", environment: Self.bareHome)
        #expect(local == .local(alias: "goldfleet/base/bookworm"))
        #expect(try Self.requestJSON(local).contains(#""source":{"alias":"goldfleet\/base\/bookworm","type":"image"}"#))
    }

    @Test("a simplestreams remote of lxc's config.yml is used with its address; the unix:// remote means a local alias")
    func configuredRemotes() throws {
        try LXCConfigFixture.withHome { home in
            try LXCConfigFixture.writeConfig(home + "/.config/lxc", remotes: """
                  mirror:
                    addr: https://images.example.internal/streams/
                    protocol: simplestreams
                    public: true
                  local:
                    addr: unix://
                    public: false
                  ubuntu:
                    addr: https://ubuntu-mirror.example.internal/releases
                    protocol: simplestreams
                    public: true
                """)
            let environment = ["HOME": home]
            let mirror = try GoldImageSource.resolve("mirror:jammy", environment: environment)
            #expect(mirror == .remote(LXDRemoteImage(server: "https://images.example.internal/streams", alias: "jammy"), remote: "mirror"))
            #expect(try Self.requestJSON(mirror).contains(
                #""source":{"alias":"jammy","protocol":"simplestreams","server":"https:\/\/images.example.internal\/streams","type":"image"}"#))
            #expect(try GoldImageSource.resolve("local:my-base", environment: environment) == .local(alias: "my-base"))
            // The user's own configuration wins over lxc's built-in address.
            #expect(try GoldImageSource.resolve("ubuntu:22.04", environment: environment)
                    == .remote(LXDRemoteImage(server: "https://ubuntu-mirror.example.internal/releases", alias: "22.04"), remote: "ubuntu"))
        }
    }

    @Test("--from-server and --from-protocol give the source's server, protocol and alias outright")
    func explicitFields() throws {
        let explicit = try GoldImageSource.resolve("24.04", server: "https://cloud-images.ubuntu.com/releases/", protocol: "simplestreams",
                                                   environment: Self.bareHome)
        #expect(explicit == .remote(LXDRemoteImage(server: "https://cloud-images.ubuntu.com/releases", alias: "24.04"), remote: nil))
        #expect(explicit.description == "24.04 from https://cloud-images.ubuntu.com/releases")
        let lxd = try GoldImageSource.resolve("base", server: "https://images.example.internal:8443", protocol: "lxd", environment: Self.bareHome)
        #expect(try Self.requestJSON(lxd).contains(
            #""source":{"alias":"base","protocol":"lxd","server":"https:\/\/images.example.internal:8443","type":"image"}"#))
    }

    @Test("bad --from values are refused before anything is created, naming what is wrong and how to fix it", arguments: [
        ("nosuch:22.04", nil, nil, "there is no lxc remote `nosuch`"),
        ("ubuntu:", nil, nil, "names no image after `ubuntu:`"),
        (":22.04", nil, nil, "names no remote before the colon"),
        ("", nil, nil, "--from is empty"),
        ("24.04", "http://cloud-images.ubuntu.com/releases", nil, "is not an https:// URL"),
        ("24.04", "https://cloud-images.ubuntu.com/releases", "ftp", "protocol `ftp` is not one LXD speaks"),
        ("24.04", nil, "simplestreams", "--from-protocol needs --from-server"),
        ("ubuntu:24.04", "https://cloud-images.ubuntu.com/releases", nil, "names a remote and --from-server"),
    ] as [(String, String?, String?, String)])
    func refused(from: String, server: String?, imageProtocol: String?, expected: String) {
        do {
            let source = try GoldImageSource.resolve(from, server: server, protocol: imageProtocol, environment: Self.bareHome)
            Issue.record("accepted as \(source)")
        } catch let error as GoldError {
            #expect(error.message.contains(expected), "\(error.message)")
            #expect(error.hint?.isEmpty == false)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("an unknown remote's error names where lxc's remotes were looked for and how to add one")
    func unknownRemoteHint() throws {
        let error = try #require(throws: GoldError.self) {
            try GoldImageSource.resolve("corp:22.04", environment: ["HOME": "/h", "LXD_CONF": "/etc/gft-lxc"])
        }
        #expect(error.message.contains("/etc/gft-lxc/config.yml"))
        #expect(error.message.contains("ubuntu, ubuntu-daily"))
        #expect(error.hint?.contains("lxc remote add corp https://SERVER --protocol simplestreams") == true)
        #expect(error.hint?.contains("--from-server") == true)
    }

    @Test("a private LXD remote is refused: LXD would need lxc's certificates")
    func privateLXDRemote() throws {
        try LXCConfigFixture.withHome { home in
            try LXCConfigFixture.writeConfig(home + "/.config/lxc", remotes: LXCConfigFixture.labRemote)
            let error = try #require(throws: GoldError.self) { try GoldImageSource.resolve("lab:base", environment: ["HOME": home]) }
            #expect(error.message.contains("private LXD server"))
            #expect(error.hint?.contains("lxc image copy lab:base local: --alias base") == true)
        }
    }

    @Test("GoldBuildOptions resolves --from with its own lxc environment")
    func options() throws {
        let options = GoldBuildOptions(name: "gold", baseImage: "ubuntu:24.04", lxcEnvironment: Self.bareHome)
        #expect(try options.imageSource() == .remote(LXDRemoteImage(server: "https://cloud-images.ubuntu.com/releases", alias: "24.04"), remote: "ubuntu"))
        #expect(try GoldBuildOptions(name: "gold", lxcEnvironment: Self.bareHome).imageSource() == .local(alias: GoldBuildOptions.defaultBaseImage))
    }
}
