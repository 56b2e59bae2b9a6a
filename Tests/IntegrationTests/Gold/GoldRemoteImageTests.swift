import Foundation
import Testing
@testable import Gold

/// `gold build --from REMOTE:ALIAS` against the lab's real LXD, which has no internet: an unknown
/// remote is refused before LXD is asked anything, and an image server LXD cannot reach (a closed
/// loopback port) comes back as a clear error with nothing left behind. No other address is used.
@Suite("Gold build from a remote image (real LXD, offline)", .serialized, .integrationLane)
struct GoldRemoteImageTests {
    @Test("an lxc remote that does not exist is refused before anything is created")
    func unknownRemote() async throws {
        let lxd = try await GoldLab.client()
        try await GoldLab.withCleanup(lxd) { cleanup in
            let name = Lab.uniqueName("gold")
            cleanup.instance(name)
            var options = try GoldLab.buildOptions(name)
            options.baseImage = "gft-no-such-remote:24.04"
            options.lxcEnvironment = ["HOME": "/nonexistent/gft-home"]
            let events = EventLog()
            let refused = await #expect(throws: GoldError.self) { try await GoldLab.build(lxd, options, events: events) }
            #expect(refused?.message.contains("there is no lxc remote `gft-no-such-remote`") == true)
            #expect(refused?.hint?.contains("lxc remote add gft-no-such-remote") == true)
            #expect(events.events.isEmpty, "no step started: \(events.events)")
            #expect(try await lxd.instance(named: name) == nil)
        }
    }

    @Test("an image server LXD cannot reach gives an error naming the server and the fix, and no half-built gold")
    func unreachableServer() async throws {
        let lxd = try await GoldLab.client()
        try await GoldLab.withCleanup(lxd) { cleanup in
            let name = Lab.uniqueName("gold")
            cleanup.instance(name)
            var options = try GoldLab.buildOptions(name)
            options.baseImage = "24.04"
            // A closed port on loopback: LXD's fetch fails at once, and nothing leaves the host.
            options.baseImageServer = "https://127.0.0.1:9"
            let failed = await #expect(throws: GoldError.self) { try await GoldLab.build(lxd, options) }
            #expect(failed?.message.hasPrefix("LXD could not create \(name) from image `24.04` of the simplestreams server https://127.0.0.1:9: ") == true,
                    "\(failed?.message ?? "")")
            #expect(failed?.hint?.contains("must reach https://127.0.0.1:9 over HTTPS") == true)
            #expect(try await lxd.instance(named: name) == nil)
        }
    }

    @Test("doctor's juju os check names the lab gold's Debian and warns that juju's manual provider refuses it")
    func labGoldIsDebian() async throws {
        let lxd = try await GoldLab.client()
        // Reads the lab's gold through the files API, never changes it.
        let check = try await GoldLab.withCleanup(lxd) { _ in try await GoldDoctor.jujuOSCheck(lxd, "gold") }
        #expect(check.status == .warning)
        #expect(check.detail.contains("Debian GNU/Linux 12 (bookworm) (ID=debian) is not Ubuntu"))
    }
}
