import Foundation
import Testing

/// `goldfleet status` as a user runs it, with an inventory that names the lab daemon's real HTTPS
/// listener: by URL pinned by fingerprint, and by an lxc remote. The environment has no machines,
/// so nothing is created; what is tested is reaching (or refusing) the daemon.
@Suite("goldfleet command line over HTTPS remotes", .integrationLane)
struct LXDRemoteCommandLineTests {
    static func status(lxd: String, environment: [String: String] = [:]) async throws -> Lab.Output {
        try await LXDTransport.https.requireLab()
        let directory = NSTemporaryDirectory() + "gft-cli-https-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let name = Lab.uniqueName("cli")
        let path = directory + "/inventory.yaml"
        try """
            name: \(name)
            lxd:
            \(lxd)
            ssh:
              password: {file: \(Lab.cacheDirectory)/ubuntu.password}
            machines:
              web: {}

            """.write(toFile: path, atomically: true, encoding: .utf8)
        return try await CommandLineTests.goldfleet(["status", path], environment: environment)
    }

    static func url(fingerprint: String) -> String {
        """
          url: \(LXDTransport.httpsURL)
          client_cert: \(LXDTransport.remote.clientCertificatePath)
          client_key: \(LXDTransport.remote.clientKeyPath)
          server_fingerprint: "\(fingerprint)"
        """
    }

    @Test("an inventory pinning the server by fingerprint reaches it")
    func pinnedByFingerprint() async throws {
        let fingerprint = try await LXDPinningIntegrationTests.daemonFingerprint()
        let result = try await Self.status(lxd: Self.url(fingerprint: fingerprint.colonSeparated))
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("no machines"))
    }

    @Test("a wrong fingerprint: refused, with the fingerprints and how to check them")
    func wrongFingerprint() async throws {
        let real = try await LXDPinningIntegrationTests.daemonFingerprint()
        let result = try await Self.status(lxd: Self.url(fingerprint: String(repeating: "0", count: 64)))
        #expect(result.exitCode != 0)
        #expect(result.stderr.contains("the server presented a certificate with SHA-256 fingerprint \(real), but server_fingerprint pins \(String(repeating: "0", count: 64)); refused"), "\(result.stderr)")
        #expect(result.stderr.contains("lxc info | grep certificate_fingerprint"), "\(result.stderr)")
    }

    @Test("an inventory naming an lxc remote (deb layout under $HOME) reaches it")
    func lxcRemote() async throws {
        try await LXCConfigHome.with(layout: ".config/lxc", remote: "gflab", url: LXDTransport.httpsURL) { home, _ in
            let result = try await Self.status(lxd: "  remote: gflab", environment: ["HOME": home])
            #expect(result.exitCode == 0, "\(result.stderr)")
            #expect(result.stdout.contains("no machines"))
        }
    }
}
