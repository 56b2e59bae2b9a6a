import Foundation
import Testing

/// `--lxd-remote NAME` as a user runs it: the gold commands and `list` (no inventory) reach the
/// lab daemon's HTTPS listener through an lxc remote, as `up` does with `lxd: {remote: NAME}`.
/// Read-only: nothing is created.
@Suite("goldfleet --lxd-remote", .integrationLane)
struct LXDRemoteOptionTests {
    @Test("gold list and list reach an lxc remote given on the command line")
    func goldListAndList() async throws {
        try await LXDTransport.https.requireLab()
        try await LXCConfigHome.with(layout: ".config/lxc", remote: "gflab", url: LXDTransport.httpsURL) { home, _ in
            let golds = try await CommandLineTests.goldfleet(["gold", "list", "gold", "--lxd-remote", "gflab"], environment: ["HOME": home])
            #expect(golds.exitCode == 0, "\(golds.stderr)")
            #expect(golds.stdout.split(separator: "\n").contains { $0.hasPrefix("gold ") }, "\(golds.stdout)")
            let environments = try await CommandLineTests.goldfleet(["list", "--lxd-remote", "gflab"], environment: ["HOME": home])
            #expect(environments.exitCode == 0, "\(environments.stderr)")
        }
    }

    @Test("an unknown remote: error: and hint: lines, exit 1")
    func unknownRemote() async throws {
        try await LXCConfigHome.with(layout: ".config/lxc", remote: "gflab", url: LXDTransport.httpsURL) { home, _ in
            let result = try await CommandLineTests.goldfleet(["gold", "list", "--lxd-remote", "gft-no-such-remote"], environment: ["HOME": home])
            #expect(result.exitCode == 1, "\(result.stderr)")
            let lines = result.stderr.split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.hasPrefix("error: no lxc remote named `gft-no-such-remote`") }, "\(result.stderr)")
            #expect(lines.contains { $0.hasPrefix("hint: add it with `lxc remote add gft-no-such-remote") }, "\(result.stderr)")
        }
    }
}
