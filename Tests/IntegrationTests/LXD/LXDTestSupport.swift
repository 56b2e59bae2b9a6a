import Foundation
import Testing
@testable import LXDKit

/// How the integration tests reach the lab's daemon: the same tests run over both.
enum LXDTransport: String, CaseIterable, Sendable, CustomStringConvertible {
    case unix, https

    static let socketPath = "/var/lib/lxd/unix.socket"
    static let httpsDirectory = "/var/cache/goldfleet/https"
    static let httpsURL = "https://127.0.0.1:8443"

    var description: String { rawValue }

    static var remote: LXDRemote {
        LXDRemote(url: httpsURL, clientCertificatePath: "\(httpsDirectory)/client.crt",
                  clientKeyPath: "\(httpsDirectory)/client.key", serverCertificatePath: "/var/lib/lxd/server.crt")
    }

    var endpoint: LXDEndpoint {
        switch self {
        case .unix: return .unixSocket(path: Self.socketPath)
        case .https: return .https(Self.remote)
        }
    }

    /// Fails (never skips) when the lab lacks what this transport needs.
    func requireLab() async throws {
        try await Lab.require()
        guard self == .https else { return }
        let address = try await Lab.lxc(["config", "get", "core.https_address"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let files = ["client.crt", "client.key"].map { "\(Self.httpsDirectory)/\($0)" }
        guard !address.isEmpty, files.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) else {
            throw Lab.Unavailable(description: """
                the lab has no LXD HTTPS API (core.https_address is "\(address)", client files \(files.joined(separator: ", "))): \
                run `scripts/lab` as root
                """)
        }
    }
}

enum LXDTestLab {
    /// The harness's tag: `user.goldfleet.test=<run id>`, so a run's sweep finds what it left.
    static var tag: [String: String] {
        [Lab.testTagKey: ProcessInfo.processInfo.environment["GOLDFLEET_TEST_RUN"] ?? "manual"]
    }

    /// Fresh `gft-lxd-xxxxxxxx` names for the body; every instance of those names is deleted
    /// afterwards (with the `lxc` CLI, so cleanup works even when the client under test does not).
    static func withInstanceNames<T: Sendable>(
        _ count: Int, _ body: @Sendable ([String]) async throws -> T
    ) async throws -> T {
        let names = (0..<count).map { _ in Lab.uniqueName("lxd") }
        do {
            let result = try await body(names)
            await delete(names)
            return result
        } catch {
            await delete(names)
            throw error
        }
    }

    static func delete(_ names: [String]) async {
        await withTaskGroup(of: Void.self) { group in
            for name in names {
                group.addTask { _ = try? await Lab.lxc(["delete", "--force", name], allowFailure: true) }
            }
        }
    }

    /// A client for the body, always shut down.
    static func withClient<T: Sendable>(_ transport: LXDTransport, _ body: (LXDClient) async throws -> T) async throws -> T {
        try await transport.requireLab()
        return try await LXDClient.withClient(transport.endpoint, body)
    }

    /// A tagged clone of the lab's gold snapshot.
    static func cloneRequest(_ name: String, pool: String = Lab.pool, extra: [String: String] = [:]) -> LXDCreateInstance {
        LXDCreateInstance(name: name, source: .copy(instance: "gold", snapshot: "snap1"), pool: pool,
                          config: tag.merging(extra) { $1 })
    }
}
