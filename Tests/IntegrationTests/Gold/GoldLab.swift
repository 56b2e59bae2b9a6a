import Foundation
@testable import Gold
@testable import GoldfleetSupport
@testable import LXDKit

/// Helpers for the gold integration tests: a client for the lab's daemon, unique names, tags,
/// and cleanup that runs whatever happened.
enum GoldLab {
    static let baseImage = "goldfleet/base/bookworm"

    /// Every instance a gold test makes carries the harness's test tag (the sweep finds leftovers).
    static var testConfig: [String: String] { [Lab.testTagKey: Lab.runID] }

    static func client() async throws -> LXDClient {
        try await Lab.require()
        let socket = try await LXDClient.discoverSocket(explicit: nil, environment: ProcessInfo.processInfo.environment)
        return try LXDClient(endpoint: .unixSocket(path: socket))
    }

    static func doctorOptions() -> GoldDoctor.Options {
        GoldDoctor.Options(pool: Lab.pool, clonePrefix: "gft-gold-doctor", extraConfig: testConfig)
    }

    static func buildOptions(_ name: String, password: String? = nil) throws -> GoldBuildOptions {
        GoldBuildOptions(name: name, baseImage: baseImage, pool: Lab.pool, password: Secret(try password ?? Lab.password()),
                         extraConfig: testConfig)
    }

    /// Builds a gold for one test.
    static func build(_ lxd: LXDClient, _ options: GoldBuildOptions, events: EventLog = EventLog()) async throws -> GoldBuildReport {
        try await GoldBuilder(lxd: lxd, progress: events).build(options)
    }

    /// Runs `body`, then ALWAYS deletes the named instances, aliases and images (also on failure)
    /// and shuts the client down.
    static func withCleanup<T: Sendable>(
        _ lxd: LXDClient, _ body: (Cleanup) async throws -> T
    ) async throws -> T {
        let cleanup = Cleanup()
        do {
            let result = try await body(cleanup)
            await cleanup.run(lxd)
            try? await lxd.shutdown()
            return result
        } catch {
            await cleanup.run(lxd)
            try? await lxd.shutdown()
            throw error
        }
    }

    /// A clone of a gold snapshot, created stopped, tagged as a test instance.
    static func copy(_ lxd: LXDClient, from source: String, snapshot: String, to name: String) async throws {
        try await lxd.createInstance(LXDCreateInstance(name: name, source: .copy(instance: source, snapshot: snapshot), pool: Lab.pool,
                                                       config: testConfig))
    }

    /// A tiny, valid pure-Python wheel (`gftdemo`) made with the host's python3, for offline pip installs.
    static func makeWheelhouse() async throws -> String {
        let directory = NSTemporaryDirectory() + "gft-wheelhouse-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let script = """
            import base64, hashlib, sys, zipfile
            files = {
                "gftdemo/__init__.py": "VALUE = 42\\n",
                "gftdemo-0.1.dist-info/METADATA": "Metadata-Version: 2.1\\nName: gftdemo\\nVersion: 0.1\\n",
                "gftdemo-0.1.dist-info/WHEEL": "Wheel-Version: 1.0\\nGenerator: goldfleet-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
            }
            record = []
            with zipfile.ZipFile(sys.argv[1] + "/gftdemo-0.1-py3-none-any.whl", "w") as wheel:
                for name, text in files.items():
                    data = text.encode()
                    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                    record.append(f"{name},sha256={digest},{len(data)}")
                    wheel.writestr(name, data)
                record.append("gftdemo-0.1.dist-info/RECORD,,")
                wheel.writestr("gftdemo-0.1.dist-info/RECORD", "\\n".join(record) + "\\n")
            """
        let output = try await Lab.run("/usr/bin/python3", ["-c", script, directory])
        guard output.exitCode == 0 else { throw Lab.Unavailable(description: "making a test wheel failed: \(output.stderr)") }
        return directory
    }
}

/// What a test created, deleted afterwards in reverse order of kind: instances, then aliases, then images.
final class Cleanup: @unchecked Sendable {
    private let lock = NSLock()
    private var instances: [String] = []
    private var aliases: [String] = []
    private var images: [String] = []
    private var directories: [String] = []

    func instance(_ name: String) { lock.withLock { instances.append(name) } }
    func alias(_ name: String) { lock.withLock { aliases.append(name) } }
    func image(_ fingerprint: String) { lock.withLock { images.append(fingerprint) } }
    func directory(_ path: String) { lock.withLock { directories.append(path) } }

    func run(_ lxd: LXDClient) async {
        let (instances, aliases, images, directories) = lock.withLock { (self.instances, self.aliases, self.images, self.directories) }
        for name in instances.reversed() {
            // A publish LXD still runs after a failed test keeps the instance busy: retry a while.
            for _ in 0..<60 {
                guard let instance = try? await lxd.instance(named: name) else { break }
                if instance.isRunning { try? await lxd.stop(name, force: true) }
                if (try? await lxd.delete(name)) != nil { break }
                try? await Task.sleep(for: .seconds(1))
            }
        }
        for alias in aliases { try? await lxd.deleteImageAlias(alias) }
        // Also images published from this test's golds whose fingerprint the test never learnt.
        let published = ((try? await lxd.images()) ?? []).filter { image in
            guard let source = image.properties[GoldTags.imageSource] else { return false }
            return instances.contains { source.hasPrefix($0 + "/") }
        }.map(\.fingerprint)
        for fingerprint in Set(images + published) { try? await lxd.deleteImage(fingerprint: fingerprint) }
        for path in directories { try? FileManager.default.removeItem(atPath: path) }
    }
}

/// Progress events recorded for assertions.
typealias EventLog = RecordingProgress
