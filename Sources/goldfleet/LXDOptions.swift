import ArgumentParser
import Foundation
import Inventory
import LXDKit

/// Where LXD is: the local daemon's socket, or an lxc remote (an HTTPS server or cluster, with
/// the certificates `lxc remote add` keeps). Every command that talks to LXD takes these; an
/// inventory's `lxd:` section wins over both.
struct LXDOptions: ParsableArguments {
    @Option(name: .customLong("lxd-socket"), help: ArgumentHelp(
        "LXD's unix socket.", discussion: "Default: $LXD_SOCKET, $LXD_DIR/unix.socket, then the snap, Debian and Incus paths. An inventory's `lxd:` section wins.",
        valueName: "path"))
    var lxdSocket: String?

    @Option(name: .customLong("lxd-remote"), help: ArgumentHelp(
        "An lxc remote to use instead of the local daemon (`lxc remote list`).",
        discussion: "An HTTPS server or cluster, reached with the client certificate and pinned server certificate of lxc's config.yml. An inventory's `lxd:` section wins.",
        valueName: "name"))
    var lxdRemote: String?

    func validate() throws {
        if lxdSocket != nil && lxdRemote != nil { throw ValidationError("give --lxd-socket or --lxd-remote, not both") }
    }

    /// The endpoint for `location` (an inventory's `lxd:` section), else for these options.
    func endpoint(for location: LXDLocation? = nil) async throws -> LXDEndpoint {
        var location = location ?? .localSocket
        if location == .localSocket, let lxdRemote { location = .remote(name: lxdRemote) }
        return try await LXDConnection.endpoint(for: location, socket: lxdSocket, environment: ProcessInfo.processInfo.environment)
    }

    /// Runs `body` with a client that goldfleet is trusted by, and shuts it down afterwards.
    func withClient<T: Sendable>(for location: LXDLocation? = nil, _ body: (LXDClient) async throws -> T) async throws -> T {
        try await LXDClient.withClient(try await endpoint(for: location)) { client in
            try await client.requireTrusted()
            return try await body(client)
        }
    }
}
