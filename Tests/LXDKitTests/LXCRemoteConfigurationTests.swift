import Foundation
import TestSupport
import Testing
@testable import Inventory
@testable import LXDKit

/// `lxd: {remote: NAME}`: the lxc client's own remotes, in the deb and snap layouts, read from a
/// throwaway HOME (files only: nothing is connected to here).
@Suite("lxc remote configuration")
struct LXCRemoteConfigurationTests {
    @Test("the search order is $LXD_CONF alone, else the snap's then the deb's directory (XDG_CONFIG_HOME is not lxc's)")
    func directories() {
        #expect(LXCRemoteConfiguration.directories(environment: ["HOME": "/h", "XDG_CONFIG_HOME": "/x"])
                == ["/h/snap/lxd/common/config", "/h/.config/lxc"])
        #expect(LXCRemoteConfiguration.directories(environment: ["HOME": "/h", "LXD_CONF": "/c"]) == ["/c"])
    }

    @Test("a remote of the deb layout (~/.config/lxc) uses its client pair and servercerts/NAME.crt")
    func debLayout() throws {
        try LXCConfigFixture.withHome { home in
            let directory = home + "/.config/lxc"
            try LXCConfigFixture.writeConfig(directory, remotes: LXCConfigFixture.labRemote, files: ["client.crt", "client.key", "servercerts/lab.crt"])
            let found = try LXCRemoteConfiguration.find("lab", environment: ["HOME": home])
            #expect(found == LXCRemoteConfiguration(name: "lab", configFile: directory + "/config.yml", address: .https(LXDRemote(
                url: "https://127.0.0.1:8443", clientCertificatePath: directory + "/client.crt",
                clientKeyPath: directory + "/client.key", serverCertificatePath: directory + "/servercerts/lab.crt"))))
        }
    }

    @Test("a remote of the snap layout (~/snap/lxd/common/config) wins over the deb one of the same name")
    func snapLayout() throws {
        try LXCConfigFixture.withHome { home in
            let snap = home + "/snap/lxd/common/config"
            try LXCConfigFixture.writeConfig(snap, remotes: LXCConfigFixture.labRemote, files: ["client.crt", "client.key", "servercerts/lab.crt"])
            try LXCConfigFixture.writeConfig(home + "/.config/lxc", remotes: "  lab: {addr: 'https://10.0.0.9:8443'}",
                                 files: ["client.crt", "client.key", "servercerts/lab.crt"])
            let found = try #require(try LXCRemoteConfiguration.find("lab", environment: ["HOME": home]))
            #expect(found.configFile == snap + "/config.yml")
            #expect(found.address == .https(LXDRemote(
                url: "https://127.0.0.1:8443", clientCertificatePath: snap + "/client.crt",
                clientKeyPath: snap + "/client.key", serverCertificatePath: snap + "/servercerts/lab.crt")))
            // A name only the deb directory has is still found there.
            try LXCConfigFixture.writeConfig(home + "/.config/lxc", remotes: "  other: {addr: 'https://10.0.0.9:8443'}",
                                 files: ["client.crt", "client.key", "servercerts/other.crt"])
            #expect(try LXCRemoteConfiguration.find("other", environment: ["HOME": home])?.configFile == home + "/.config/lxc/config.yml")
        }
    }

    @Test("unix remotes name a socket; a missing name is nil")
    func unixAndMissing() throws {
        try LXCConfigFixture.withHome { home in
            try LXCConfigFixture.writeConfig(home + "/.config/lxc", remotes: "  local: {addr: 'unix://'}\n  mine: {addr: 'unix:///run/lxd.socket'}")
            let environment = ["HOME": home]
            #expect(try LXCRemoteConfiguration.find("local", environment: environment)?.address == .unixSocket(path: nil))
            #expect(try LXCRemoteConfiguration.find("mine", environment: environment)?.address == .unixSocket(path: "/run/lxd.socket"))
            #expect(try LXCRemoteConfiguration.find("nope", environment: environment) == nil)
        }
    }

    @Test("remotes goldfleet cannot use are refused with the reason", arguments: [
        ("  images: {addr: 'https://images.linuxcontainers.org', protocol: simplestreams, public: true}", "images", ["client.crt", "client.key"], "is a public image server"),
        ("  sso: {addr: 'https://h:8443', auth_type: oidc}", "sso", ["client.crt", "client.key", "servercerts/sso.crt"], "authenticates with oidc"),
        (LXCConfigFixture.labRemote, "lab", ["client.crt", "client.key"], "has no pinned server certificate"),
        (LXCConfigFixture.labRemote, "lab", ["client.crt", "servercerts/lab.crt"], "has no client key"),
        ("  lab: {protocol: lxd}", "lab", [], "has no `addr`"),
        ("  lab: {addr: 'https://h:8443', project: charms}", "lab", ["client.crt", "client.key", "servercerts/lab.crt"], "uses LXD project `charms`"),
    ])
    func unusable(remotes: String, name: String, files: [String], expected: String) throws {
        try LXCConfigFixture.withHome { home in
            try LXCConfigFixture.writeConfig(home + "/.config/lxc", remotes: remotes, files: files)
            #expect {
                _ = try LXCRemoteConfiguration.find(name, environment: ["HOME": home])
            } throws: { error in
                let failure = error as? LXDConnection.Failure
                return failure?.message.contains("`\(name)`") == true && failure?.message.contains(expected) == true && failure?.hint != nil
            }
        }
    }

    @Test("LXDConnection: an unknown remote names the files it read and how to add it")
    func unknownRemote() async throws {
        let home = NSTemporaryDirectory() + "gft-lxc-home-" + UUID().uuidString.prefix(8)
        await #expect {
            _ = try await LXDConnection.endpoint(for: .remote(name: "lab"), socket: nil, environment: ["HOME": home])
        } throws: { error in
            let failure = error as? LXDConnection.Failure
            return failure?.message == "no lxc remote named `lab` in \(home)/snap/lxd/common/config/config.yml or \(home)/.config/lxc/config.yml"
                && failure?.hint?.contains("lxc remote add lab https://HOST:8443") == true
        }
    }

    @Test("LXDConnection: an https URL needs a pin; a fingerprint pins it alone or with a certificate")
    func urlPins() throws {
        let fingerprint = String(repeating: "ab", count: 32)
        let base = LXDTLSSettings(clientCertificatePath: "/c.crt", clientKeyPath: "/c.key")
        #expect(throws: LXDConnection.Failure.self) { _ = try LXDConnection.remote(url: "https://h:8443", tls: base) }
        var bad = base
        bad.serverFingerprint = "ab:cd"
        #expect(throws: LXDConnection.Failure.self) { _ = try LXDConnection.remote(url: "https://h:8443", tls: bad) }
        var both = base
        both.serverCertificatePath = "/s.crt"
        both.serverFingerprint = fingerprint.uppercased()
        let remote = try LXDConnection.remote(url: "https://h:8443", tls: both)
        #expect(remote.serverCertificatePath == "/s.crt")
        #expect(remote.serverFingerprint?.hex == fingerprint)
    }
}
