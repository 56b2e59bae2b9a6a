import Foundation
import Testing
@testable import LXDKit

@Suite("LXD requests")
struct LXDRequestTests {
    @Test("a copy create sends source, profiles, root pool and every config key in one body")
    func createBody() throws {
        let request = LXDCreateInstance(
            name: "gft-a", source: .copy(instance: "gold", snapshot: "snap1"), pool: "dirpool", rootSize: "10GiB",
            config: ["user.goldfleet.env": "demo"]
        ).limited(cpus: 2, memory: "2GiB", nesting: true)
        let data = try JSONEncoder().encode(request.body)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["name"] as? String == "gft-a")
        #expect(object["profiles"] as? [String] == ["default"])
        let source = try #require(object["source"] as? [String: String])
        #expect(source == ["type": "copy", "source": "gold/snap1"])
        let devices = try #require(object["devices"] as? [String: [String: String]])
        #expect(devices["root"] == ["type": "disk", "path": "/", "pool": "dirpool", "size": "10GiB"])
        #expect(object["config"] as? [String: String] == [
            "user.goldfleet.env": "demo", "limits.cpu": "2", "limits.memory": "2GiB", "security.nesting": "true",
        ])
        #expect(request.isTagged)
    }

    @Test("an image create names the alias and keeps the profiles' root disk when no pool is given")
    func imageBody() throws {
        let request = LXDCreateInstance(name: "gft-b", source: .image(alias: "goldfleet/base/bookworm"), config: ["user.goldfleet.gold": "true"])
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(request.body)) as? [String: Any])
        #expect(object["source"] as? [String: String] == ["type": "image", "alias": "goldfleet/base/bookworm"])
        #expect(object["devices"] == nil)
        #expect(object["profiles"] as? [String] == ["default"])
    }

    @Test("an untagged request is recognised")
    func untagged() {
        #expect(!LXDCreateInstance(name: "x", source: .image(alias: "a"), config: ["limits.cpu": "1"]).isTagged)
    }

    @Test("query values are percent-encoded, slashes kept")
    func query() {
        #expect(LXDClient.encodedQuery([("path", "/etc/my file&x")]) == "?path=/etc/my%20file%26x")
        #expect(LXDClient.encodedQuery([]) == "")
    }

    @Test("symlink targets resolve like the kernel would", arguments: [
        ("../usr/lib/os-release", "/etc/os-release", "/usr/lib/os-release"),
        ("/usr/lib/os-release", "/etc/os-release", "/usr/lib/os-release"),
        ("b", "/x/y/a", "/x/y/b"),
        ("./../../../z", "/x/a", "/z"),
    ])
    func symlinks(target: String, link: String, resolved: String) {
        #expect(LXDClient.resolve(link: target, from: link) == resolved)
    }
}
