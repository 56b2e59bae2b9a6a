import Foundation
import Testing
@testable import JujuKit

@Suite("Juju driver: finding juju and its keys")
struct JujuLocateAndKeysTests {
    /// A temp directory with an executable `juju` (and an optional plain file), removed by the caller.
    func scratch() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gf-juju-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: "\(directory)/juju", contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755])
        _ = FileManager.default.createFile(atPath: "\(directory)/plain", contents: Data(), attributes: [.posixPermissions: 0o644])
        return directory
    }

    @Test("--juju wins, then GOLDFLEET_JUJU, then PATH")
    func order() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try JujuCLI.locate(explicit: "\(dir)/juju", environment: ["GOLDFLEET_JUJU": "/nope"]) == "\(dir)/juju")
        #expect(try JujuCLI.locate(explicit: nil, environment: ["GOLDFLEET_JUJU": "\(dir)/juju", "PATH": "/nope"]) == "\(dir)/juju")
        #expect(try JujuCLI.locate(explicit: nil, environment: ["PATH": "/nope:\(dir)"]) == "\(dir)/juju")
    }

    @Test("missing juju says how to install it or use --juju", arguments: [
        (nil, ["PATH": "/nope"]),
        ("/nope/juju", [:]),
        ("PLAIN", [:]),
        (nil, ["GOLDFLEET_JUJU": "/nope/juju"]),
    ] as [(String?, [String: String])])
    func missing(explicit: String?, environment: [String: String]) throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let error = #expect(throws: JujuNotFoundError.self) {
            _ = try JujuCLI.locate(explicit: explicit == "PLAIN" ? "\(dir)/plain" : explicit, environment: environment)
        }
        #expect(error?.message.hasPrefix("juju not found") == true)
        #expect(error?.hint?.contains("snap install juju --classic") == true)
        #expect(error?.hint?.contains("--juju") == true)
    }

    @Test("JUJU_DATA, then XDG_DATA_HOME/juju, then ~/.local/share/juju")
    func jujuData() {
        #expect(JujuClientKeys.jujuDataDirectory(home: "/h", environment: ["JUJU_DATA": "/d", "XDG_DATA_HOME": "/x"]) == "/d")
        #expect(JujuClientKeys.jujuDataDirectory(home: "/h", environment: ["XDG_DATA_HOME": "/x"]) == "/x/juju")
        #expect(JujuClientKeys.jujuDataDirectory(home: "/h", environment: [:]) == "/h/.local/share/juju")
    }

    @Test("public keys: juju's own first, then ~/.ssh/id_*.pub; missing files are skipped")
    func publicKeys() throws {
        let home = try scratch()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let fm = FileManager.default
        try fm.createDirectory(atPath: "\(home)/.ssh", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: "\(home)/.local/share/juju/ssh", withIntermediateDirectories: true)
        try "ssh-rsa AAAjuju juju-client-key\n".write(toFile: "\(home)/.local/share/juju/ssh/juju_id_rsa.pub", atomically: true, encoding: .utf8)
        try "ssh-ed25519 AAAmine me@host\n".write(toFile: "\(home)/.ssh/id_ed25519.pub", atomically: true, encoding: .utf8)
        try "not a key".write(toFile: "\(home)/.ssh/authorized_keys", atomically: true, encoding: .utf8)
        #expect(JujuClientKeys.publicKeys(home: home, jujuData: nil) == ["ssh-rsa AAAjuju juju-client-key", "ssh-ed25519 AAAmine me@host"])
        #expect(JujuClientKeys.publicKeys(home: home, jujuData: "\(home)/elsewhere") == ["ssh-ed25519 AAAmine me@host"])
    }

    @Test("known_hosts: ~/.ssh/known_hosts of the passwd home (as OpenSSH reads it, not $HOME) unless the double is pointed elsewhere")
    func knownHosts() throws {
        let home = String(cString: try #require(getpwuid(getuid())).pointee.pw_dir)
        #expect(JujuClientKeys.knownHostsPath(home: "/h", environment: ["HOME": "/h"]) == "\(home)/.ssh/known_hosts")
        #expect(JujuClientKeys.knownHostsPath(home: "/h", environment: ["JUJU_DOUBLE_KNOWN_HOSTS": "/t/kh"]) == "/t/kh")
    }
}
