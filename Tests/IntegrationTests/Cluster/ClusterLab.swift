import Foundation
@testable import LXDKit

/// The three-member lab cluster made by `scripts/lab-cluster up`: where it answers, and its
/// script for taking a member down and back (fault tests).
enum ClusterLab {
    static let endpointFile = Lab.cacheDirectory + "/cluster/endpoint.env"
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let members = ["c1", "c2", "c3"]
    static let image = "juju/bookworm/amd64"

    struct Endpoint: Sendable {
        var url: String
        var clientCertificate: String
        var clientKey: String
        var serverCertificate: String

        var remote: LXDRemote {
            LXDRemote(url: url, clientCertificatePath: clientCertificate, clientKeyPath: clientKey, serverCertificatePath: serverCertificate)
        }
    }

    /// Reads endpoint.env; fails (never skips) when the cluster is not up.
    static func endpoint() throws -> Endpoint {
        guard let text = try? String(contentsOfFile: endpointFile, encoding: .utf8) else {
            throw Lab.Unavailable(description: "\(endpointFile) is missing: the lab cluster is not up — run `scripts/lab-cluster up` (scripts/test does)")
        }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        guard let url = values["LXD_CLUSTER_URL"], let cert = values["LXD_CLUSTER_CLIENT_CERT"],
              let key = values["LXD_CLUSTER_CLIENT_KEY"], let server = values["LXD_CLUSTER_SERVER_CERT"] else {
            throw Lab.Unavailable(description: "\(endpointFile) lacks LXD_CLUSTER_* entries — run `scripts/lab-cluster up` again")
        }
        return Endpoint(url: url, clientCertificate: cert, clientKey: key, serverCertificate: server)
    }

    /// A client for the cluster, after checking every member answers ONLINE.
    static func require() async throws -> (Endpoint, LXDClient) {
        let endpoint = try endpoint()
        let client = try LXDClient(endpoint: .https(endpoint.remote))
        do {
            let members = try await client.clusterMembers()
            let offline = members.filter { !$0.isOnline }.map(\.name)
            guard members.count == Self.members.count, offline.isEmpty else {
                throw Lab.Unavailable(description: "the lab cluster is not healthy (members \(members.map { "\($0.name) \($0.status)" })) — run `scripts/lab-cluster up`")
            }
        } catch {
            try? await client.shutdown()
            throw error is Lab.Unavailable ? error : Lab.Unavailable(description: "the lab cluster at \(endpoint.url) does not answer (\(error)) — run `scripts/lab-cluster up`")
        }
        return (endpoint, client)
    }

    /// `scripts/lab-cluster ARGS`, failing the test when it fails. Its output goes to a file,
    /// never to a pipe of ours: `start-member` leaves a member daemon running that would inherit
    /// the pipe and keep it open forever (the test then waits for an end-of-file that never comes).
    static func script(_ arguments: String...) async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("gfc-lab-cluster-\(UUID().uuidString.prefix(8)).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let command = ([repository + "/scripts/lab-cluster"] + arguments).map(shellQuoted).joined(separator: " ")
        // Close every inherited descriptor above 2 first: Foundation leaves this process's pipe
        // ends open in children, and the member daemon would keep them open forever.
        let closeInherited = #"for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null; done; "#
        let output = try await Lab.run("/bin/bash", ["-c", closeInherited + "exec \(command) </dev/null >\(shellQuoted(log)) 2>&1"])
        guard output.exitCode == 0 else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw Lab.Unavailable(description: "scripts/lab-cluster \(arguments.joined(separator: " ")) failed (exit \(output.exitCode)): \(text.suffix(2000))")
        }
    }

    private static func shellQuoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Runs `body`; whatever happens, every member is started again afterwards.
    static func withMemberRestored<T: Sendable>(_ member: String, _ body: () async throws -> T) async throws -> T {
        do {
            let result = try await body()
            try await script("start-member", member)
            return result
        } catch {
            _ = try? await script("start-member", member)
            throw error
        }
    }
}
