import Foundation
import Testing
@testable import GoldfleetCore

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
}
