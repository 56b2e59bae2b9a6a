import Foundation
import Testing
@testable import Inventory
@testable import LXDKit

/// The lab daemon's REAL HTTPS listener (127.0.0.1:8443, `scripts/lab`): pinning by fingerprint,
/// by certificate, by both; `lxd.remote` from the lxc client's deb and snap config layouts;
/// an untrusted client certificate. Nothing here changes the daemon's trust store or config.
@Suite("LXD HTTPS pinning and trust", .integrationLane)
struct LXDPinningIntegrationTests {
    static let serverCertificate = "/var/lib/lxd/server.crt"
    static let nobody = LXDCertificateFingerprint(String(repeating: "0", count: 64))!

    /// The daemon's fingerprint as LXD itself reports it (`lxc query /1.0`), not as goldfleet computes it.
    static func daemonFingerprint() async throws -> LXDCertificateFingerprint {
        let output = try await Lab.lxc(["query", "/1.0"])
        let json = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
        let text = (json?["environment"] as? [String: Any])?["certificate_fingerprint"] as? String
        return try #require(text.flatMap(LXDCertificateFingerprint.init), "no certificate_fingerprint in `lxc query /1.0`")
    }

    static func remote(certificate: String? = nil, fingerprint: LXDCertificateFingerprint? = nil) -> LXDRemote {
        var remote = LXDTransport.remote
        remote.serverCertificatePath = certificate
        remote.serverFingerprint = fingerprint
        return remote
    }

    @Test("the right fingerprint alone pins the server (LXD's hex and openssl's AB:CD form alike)")
    func rightFingerprint() async throws {
        try await LXDTransport.https.requireLab()
        let fingerprint = try await Self.daemonFingerprint()
        for text in [fingerprint.hex, fingerprint.colonSeparated] {
            #expect(LXDCertificateFingerprint(text) == fingerprint)
            let remote = Self.remote(fingerprint: LXDCertificateFingerprint(text))
            let info = try await LXDClient.withClient(.https(remote)) { lxd in
                try await lxd.requireTrusted()
                return try await lxd.serverInfo()
            }
            #expect(info.auth == "trusted")
        }
    }

    @Test("a wrong fingerprint is refused with both fingerprints, and no request reaches LXD")
    func wrongFingerprint() async throws {
        try await LXDTransport.https.requireLab()
        let real = try await Self.daemonFingerprint()
        let probe = Lab.uniqueName("pin")
        let pinned = Self.remote(fingerprint: real)
        /// A request a pinned client makes for a name nobody has: the daemon logs it, and answers 404.
        func control(_ suffix: String) async throws {
            let found = try await LXDClient.withClient(.https(pinned)) { try await $0.instance(named: probe + suffix) }
            #expect(found == nil)
        }
        let log = try await DaemonRequestLog.during(seconds: 10) {
            // Controls before and after: the log must show one of each around the refused request.
            try await Task.sleep(for: .seconds(1.5))
            try await control("-before-1")
            try await Task.sleep(for: .seconds(1.5))
            try await control("-before-2")
            let rejected = await LXDClientIntegrationTests.lxdError {
                _ = try await LXDClient.withClient(.https(Self.remote(fingerprint: Self.nobody))) {
                    try await $0.instance(named: probe + "-refused")
                }
            }
            #expect(rejected?.kind == .serverCertificateMismatch)
            #expect(rejected?.message == "reading instance \(probe)-refused failed on the LXD remote \(LXDTransport.httpsURL): the server presented a certificate with SHA-256 fingerprint \(real), but server_fingerprint pins \(Self.nobody); refused, nothing was sent to it")
            #expect(rejected?.hint?.contains("lxc info | grep certificate_fingerprint") == true)
            try await control("-after-1")
            try await Task.sleep(for: .seconds(1.5))
            try await control("-after-2")
        }
        let seen = { (suffix: String) in log.contains("url=/1.0/instances/\(probe)\(suffix)") }
        try #require(seen("-before-1") || seen("-before-2"), "`lxc monitor` was not listening in time: \(log.suffix(1500))")
        try #require(seen("-after-1") || seen("-after-2"), "`lxc monitor` stopped too early: \(log.suffix(1500))")
        #expect(!seen("-refused"), "the refused request reached LXD")
    }

    @Test("with a certificate file and a fingerprint both must match")
    func certificateAndFingerprint() async throws {
        try await LXDTransport.https.requireLab()
        let real = try await Self.daemonFingerprint()
        let both = Self.remote(certificate: Self.serverCertificate, fingerprint: real)
        #expect(try await LXDClient.withClient(.https(both)) { try await $0.serverInfo() }.auth == "trusted")

        let wrongFingerprint = await LXDClientIntegrationTests.lxdError {
            _ = try await LXDClient.withClient(.https(Self.remote(certificate: Self.serverCertificate, fingerprint: Self.nobody))) { try await $0.serverInfo() }
        }
        #expect(wrongFingerprint?.kind == .serverCertificateMismatch)
        #expect(wrongFingerprint?.message.contains("but server_fingerprint pins \(Self.nobody)") == true)

        // Any other certificate file will do: the client's own.
        let otherFile = LXDTransport.remote.clientCertificatePath
        let wrongFile = await LXDClientIntegrationTests.lxdError {
            _ = try await LXDClient.withClient(.https(Self.remote(certificate: otherFile, fingerprint: real))) { try await $0.serverInfo() }
        }
        #expect(wrongFile?.kind == .serverCertificateMismatch)
        #expect(wrongFile?.message.contains("but the pinned certificate \(otherFile) pins") == true)
    }

    @Test("lxd.remote reads an lxc remote from the deb and the snap config layouts, pinned by servercerts/NAME.crt",
          arguments: [".config/lxc", "snap/lxd/common/config"])
    func lxcRemote(layout: String) async throws {
        try await LXDTransport.https.requireLab()
        try await LXCConfigHome.with(layout: layout, remote: "gflab", url: LXDTransport.httpsURL) { home, directory in
            let environment = ["HOME": home]
            let endpoint = try await LXDConnection.endpoint(for: .remote(name: "gflab"), socket: nil, environment: environment)
            guard case .https(let remote) = endpoint else {
                Issue.record("expected an HTTPS endpoint, got \(endpoint)")
                return
            }
            #expect(remote.serverCertificatePath == directory + "/servercerts/gflab.crt")
            let info = try await LXDClient.withClient(endpoint) { lxd in
                try await lxd.requireTrusted()
                return try await lxd.serverInfo()
            }
            #expect(info.auth == "trusted")

            // A remote whose stored server certificate is another one is refused.
            try FileManager.default.removeItem(atPath: directory + "/servercerts/gflab.crt")
            try FileManager.default.copyItem(atPath: LXDTransport.remote.clientCertificatePath, toPath: directory + "/servercerts/gflab.crt")
            let stale = try await LXDConnection.endpoint(for: .remote(name: "gflab"), socket: nil, environment: environment)
            let rejected = await LXDClientIntegrationTests.lxdError { _ = try await LXDClient.withClient(stale) { try await $0.serverInfo() } }
            #expect(rejected?.kind == .serverCertificateMismatch)
            #expect(rejected?.message.contains("the pinned certificate \(directory)/servercerts/gflab.crt") == true)
        }
    }

    @Test("an untrusted client certificate is refused with the exact command that trusts it")
    func untrustedClient() async throws {
        try await LXDTransport.https.requireLab()
        let directory = NSTemporaryDirectory() + "gft-untrusted-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A fresh certificate, never added to the daemon's trust store.
        try await ClusterTests.makeCertificate(in: directory)
        let fingerprint = try #require(try LXDCertificateFingerprint.ofPEMFile(directory + "/client.crt").first)
        var remote = Self.remote(fingerprint: try await Self.daemonFingerprint())
        remote.clientCertificatePath = directory + "/client.crt"
        remote.clientKeyPath = directory + "/client.key"
        do {
            try await LXDClient.withClient(.https(remote)) { try await $0.requireTrusted() }
            Issue.record("an untrusted client certificate was accepted")
        } catch let error as LXDUntrustedClient {
            #expect(error.message == "the LXD remote \(LXDTransport.httpsURL) does not trust the client certificate \(directory)/client.crt (auth: untrusted)")
            #expect(error.hint == "trust it once on the server (on a cluster: on any member; trust is cluster-wide): copy \(directory)/client.crt there as client.crt and run `lxc config trust add client.crt`; `lxc config trust list` then shows it as \(fingerprint.hex.prefix(12)); then run goldfleet again")
        }
    }
}

/// A throwaway HOME with an lxc client config for the lab's HTTPS listener, laid out as the deb
/// (`.config/lxc`) or the snap (`snap/lxd/common/config`) client keeps it: config.yml, the
/// lab's client pair, and servercerts/NAME.crt (the daemon's certificate, as `lxc remote add`
/// stores it).
enum LXCConfigHome {
    static func with(layout: String, remote: String, url: String,
                     _ body: (_ home: String, _ directory: String) async throws -> Void) async throws {
        let home = NSTemporaryDirectory() + "gft-lxc-home-" + UUID().uuidString.prefix(8)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let directory = home + "/" + layout
        let files = FileManager.default
        try files.createDirectory(atPath: directory + "/servercerts", withIntermediateDirectories: true)
        try """
            default-remote: local
            remotes:
              \(remote):
                addr: \(url)
                auth_type: tls
                project: default
                protocol: lxd
                public: false
            aliases: {}

            """.write(toFile: directory + "/config.yml", atomically: true, encoding: .utf8)
        try files.copyItem(atPath: LXDTransport.remote.clientCertificatePath, toPath: directory + "/client.crt")
        try files.copyItem(atPath: LXDTransport.remote.clientKeyPath, toPath: directory + "/client.key")
        try files.copyItem(atPath: LXDPinningIntegrationTests.serverCertificate, toPath: directory + "/servercerts/\(remote).crt")
        try await body(home, directory)
    }
}

/// The lab daemon's own request log, from `lxc monitor --type=logging` at debug level: LXD logs
/// "Handling API request … url=/1.0/…" for every request it receives, whoever sends it.
enum DaemonRequestLog {
    /// Runs `body` while `lxc monitor` listens for `seconds` (bounded by `timeout`, so nothing
    /// outlives the test), and returns what it logged. `body` must finish within that window.
    static func during(seconds: Int, _ body: () async throws -> Void) async throws -> String {
        async let monitor = Lab.run("/usr/bin/timeout", ["\(seconds)", "/usr/bin/lxc", "monitor", "--type=logging", "--pretty", "--loglevel=debug"])
        let clock = ContinuousClock()
        let started = clock.now
        do {
            try await body()
        } catch {
            _ = try? await monitor
            throw error
        }
        let elapsed = clock.now - started
        let output = try await monitor
        guard elapsed < .seconds(seconds - 1) else {
            throw Lab.Unavailable(description: "the body took \(elapsed), longer than the \(seconds) s `lxc monitor` window")
        }
        return output.stdout
    }
}
