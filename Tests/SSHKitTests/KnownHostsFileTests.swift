import Foundation
import Testing
@testable import GoldfleetSupport
@testable import SSHKit

@Suite("Known hosts file")
struct KnownHostsFileTests {
    let directory: String
    let ed25519: SSHHostKey
    let ecdsa: SSHHostKey

    init() throws {
        directory = NSTemporaryDirectory() + "gf-known-hosts-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        ed25519 = try SSHHostKey(openSSHLine: SSHHostKeyTests.fixture("host_ed25519.pub"))
        ecdsa = try SSHHostKey(openSSHLine: SSHHostKeyTests.fixture("host_ecdsa.pub"))
    }

    func contents(_ file: KnownHostsFile) throws -> String {
        try String(contentsOfFile: file.path, encoding: .utf8)
    }

    @Test("writes plain `host type base64` lines and replaces a host's old keys")
    func addAndReplace() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = KnownHostsFile(path: "\(directory)/known_hosts")
        try file.add(host: "10.213.73.5", keys: [ed25519, ecdsa])
        try file.add(host: "10.213.73.6", port: 2222, keys: [ed25519])
        let base64 = Data(ed25519.keyData).base64EncodedString()
        #expect(try contents(file).split(separator: "\n").first == "10.213.73.5 ssh-ed25519 \(base64)")
        #expect(try contents(file).contains("[10.213.73.6]:2222 ssh-ed25519 \(base64)\n"))
        #expect(try file.keys(host: "10.213.73.5") == [ed25519, ecdsa])

        try file.add(host: "10.213.73.5", keys: [ecdsa])
        #expect(try file.keys(host: "10.213.73.5") == [ecdsa])
        #expect(try contents(file).split(separator: "\n").count == 2)
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test("remove drops only that host; a missing file or host is fine")
    func remove() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = KnownHostsFile(path: "\(directory)/known_hosts")
        try file.remove(host: "10.0.0.1")
        try file.add(host: "10.213.73.5", keys: [ed25519])
        try file.add(host: "10.213.73.50", keys: [ecdsa])
        try file.remove(host: "10.213.73.5")
        try file.remove(host: "10.213.73.99")
        #expect(try file.keys(host: "10.213.73.5").isEmpty)
        #expect(try file.keys(host: "10.213.73.50") == [ecdsa])
        try file.remove(host: "10.213.73.50")
        #expect(try contents(file).isEmpty)
        try file.delete()
        #expect(!FileManager.default.fileExists(atPath: file.path))
        #expect(!FileManager.default.fileExists(atPath: file.path + ".lock"))
        try file.delete()
    }

    @Test("parallel adds from many threads lose nothing")
    func parallelAdds() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = KnownHostsFile(path: "\(directory)/known_hosts")
        let key = ed25519
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<24 {
                group.addTask { try file.add(host: "10.213.73.\(index + 10)", keys: [key]) }
            }
            try await group.waitForAll()
        }
        #expect(try contents(file).split(separator: "\n").count == 24)
    }

    @Test("OpenSSH's own tools find the entries (ssh-keygen -F)")
    func openSSHReadsIt() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = KnownHostsFile(path: "\(directory)/known_hosts")
        try file.add(host: "10.213.73.5", keys: [ed25519])
        try file.add(host: "10.213.73.6", port: 2222, keys: [ecdsa])
        let runner = SystemProcessRunner()
        let found = try await runner.run(Command("ssh-keygen", ["-F", "10.213.73.5", "-f", file.path]))
        #expect(found.exitCode == 0)
        #expect(found.standardOutput.contains("ssh-ed25519"))
        let foundPort = try await runner.run(Command("ssh-keygen", ["-F", "[10.213.73.6]:2222", "-f", file.path]))
        #expect(foundPort.exitCode == 0)
        let missing = try await runner.run(Command("ssh-keygen", ["-F", "10.213.73.7", "-f", file.path]))
        #expect(missing.exitCode != 0)
        #expect(file.openSSHOptions.contains("StrictHostKeyChecking=yes"))
    }

    /// Writes `text` and lets OpenSSH hash it, as `HashKnownHosts yes` does.
    func hashed(_ text: String, in file: KnownHostsFile) async throws -> String {
        try text.write(toFile: file.path, atomically: true, encoding: .utf8)
        let result = try await SystemProcessRunner().run(Command("ssh-keygen", ["-H", "-f", file.path]))
        #expect(result.exitCode == 0, "\(result.standardError)")
        try? FileManager.default.removeItem(atPath: file.path + ".old")
        return try contents(file)
    }

    func line(_ host: String, _ key: SSHHostKey, _ comment: String = "") -> String {
        "\(host) \(key.type) \(Data(key.keyData).base64EncodedString())\(comment.isEmpty ? "" : " " + comment)"
    }

    @Test("hashed entries (ssh-keygen -H) are found, replaced and removed; other hosts stay")
    func hashedEntries() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = KnownHostsFile(path: "\(directory)/known_hosts")
        let text = try await hashed([
            line("10.213.73.5", ed25519), line("10.213.73.5", ecdsa), line("10.213.73.50", ecdsa),
            line("[10.213.73.5]:2222", ecdsa), line("web.example", ed25519),
        ].joined(separator: "\n") + "\n", in: file)
        #expect(!text.contains("10.213.73"))
        #expect(text.split(separator: "\n").allSatisfy { $0.hasPrefix("|1|") })
        #expect(try file.keys(host: "10.213.73.5") == [ed25519, ecdsa])
        #expect(try file.keys(host: "10.213.73.5", port: 2222) == [ecdsa])
        #expect(try file.keys(host: "web.example") == [ed25519])

        try file.add(host: "10.213.73.5", keys: [ecdsa])
        #expect(try file.keys(host: "10.213.73.5") == [ecdsa])
        #expect(try file.keys(host: "10.213.73.50") == [ecdsa])
        #expect(try file.keys(host: "10.213.73.5", port: 2222) == [ecdsa])

        try file.remove(host: "10.213.73.5", port: 2222)
        #expect(try file.keys(host: "10.213.73.5", port: 2222).isEmpty)
        try file.remove(host: "10.213.73.5")
        #expect(try file.keys(host: "10.213.73.5").isEmpty)
        let runner = SystemProcessRunner()
        #expect(try await runner.run(Command("ssh-keygen", ["-F", "10.213.73.5", "-f", file.path])).exitCode != 0)
        #expect(try await runner.run(Command("ssh-keygen", ["-F", "10.213.73.50", "-f", file.path])).exitCode == 0)
        #expect(try await runner.run(Command("ssh-keygen", ["-F", "web.example", "-f", file.path])).exitCode == 0)
    }

    @Test("host lists lose only the address; @cert-authority, @revoked, comments and wildcards stay")
    func listsAndMarkers() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = KnownHostsFile(path: "\(directory)/known_hosts")
        let kept = [
            "# my hosts",
            "@cert-authority *.example,10.213.73.5 \(ecdsa.type) \(Data(ecdsa.keyData).base64EncodedString())",
            "@revoked 10.213.73.5 \(ed25519.type) \(Data(ed25519.keyData).base64EncodedString())",
            line("10.213.73.*", ecdsa),
            line("!10.213.73.5,10.213.*", ecdsa),
        ]
        try (kept + [line("myhost,10.213.73.5,[10.213.73.5]:22", ed25519, "me@laptop")]).joined(separator: "\n")
            .write(toFile: file.path, atomically: true, encoding: .utf8)
        try file.remove(host: "10.213.73.5")
        #expect(try contents(file) == (kept + [line("myhost", ed25519, "me@laptop")]).joined(separator: "\n") + "\n")
        try file.add(host: "10.213.73.5", keys: [ecdsa], label: "goldfleet:env/env-m-1")
        #expect(try contents(file).hasSuffix(line("10.213.73.5", ecdsa, "goldfleet:env/env-m-1") + "\n"))
        #expect(try contents(file).hasPrefix(kept.joined(separator: "\n")))
    }

    @Test("removeInstance drops goldfleet's labelled lines and the instance's keys in any form, never the user's")
    func removeInstance() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = KnownHostsFile(path: "\(directory)/known_hosts")
        let userKey = try SSHHostKey(openSSHLine: SSHHostKeyTests.fixture("host_rsa.pub"))
        // What OpenSSH's UpdateHostKeys appends after juju's ssh login: every key, hashed.
        let updated = try await hashed([line("10.213.73.5", ecdsa), line("10.213.73.5", userKey)].joined(separator: "\n") + "\n", in: file)
        let label = KnownHostsFile.label(environment: "env", instance: "env-m-1")
        let text = [
            line("10.213.73.5", ed25519, label),
            line("10.213.73.9", ed25519, KnownHostsFile.label(environment: "env", instance: "env-m-2")),
            line("10.213.73.5", userKey, "added by me"),
            line("laptop,10.213.73.5", ecdsa),
        ].joined(separator: "\n") + "\n" + updated
        try text.write(toFile: file.path, atomically: true, encoding: .utf8)

        try file.removeInstance(label: label, addresses: ["10.213.73.5"], instanceKeys: [ed25519, ecdsa])
        let left = try contents(file).split(separator: "\n").map(String.init)
        #expect(left.count == 4)
        #expect(left[0] == line("10.213.73.9", ed25519, KnownHostsFile.label(environment: "env", instance: "env-m-2")))
        #expect(left[1] == line("10.213.73.5", userKey, "added by me"))
        #expect(left[2] == line("laptop", ecdsa))
        #expect(left[3].hasPrefix("|1|") && left[3].hasSuffix(Data(userKey.keyData).base64EncodedString()))
        #expect(try file.keys(host: "10.213.73.5") == [userKey, userKey])
    }

    @Test("the OpenSSH user file is in the passwd entry's home, whatever $HOME says")
    func openSSHUserFile() throws {
        let entry = try #require(getpwuid(getuid()))
        #expect(KnownHostsFile.openSSHUserFile() == "\(String(cString: entry.pointee.pw_dir))/.ssh/known_hosts")
    }
}
