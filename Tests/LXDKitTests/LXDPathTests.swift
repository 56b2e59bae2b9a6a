import Testing
@testable import LXDKit

/// Names from an inventory end up in LXD request paths; each must stay one segment.
@Suite("LXD request paths")
struct LXDPathTests {
    @Test("each segment is percent-encoded, so no name can add a segment, a query or a fragment", arguments: [
        ("..", "/1.0/instances/%2E%2E"),
        (".", "/1.0/instances/%2E"),
        ("../../1.0/certificates", "/1.0/instances/..%2F..%2F1.0%2Fcertificates"),
        ("gold?recursion=2", "/1.0/instances/gold%3Frecursion%3D2"),
        ("a&b", "/1.0/instances/a%26b"),
        ("a#b", "/1.0/instances/a%23b"),
        ("a/b", "/1.0/instances/a%2Fb"),
        ("my gold", "/1.0/instances/my%20gold"),
        ("100%", "/1.0/instances/100%25"),
        ("été", "/1.0/instances/%C3%A9t%C3%A9"),
        ("web-1", "/1.0/instances/web-1"),
    ])
    func segment(name: String, path: String) {
        #expect(LXDPath("instances", name).encoded == path)
    }

    @Test("paths with several names encode each one")
    func severalNames() {
        #expect(LXDPath("instances", "gold", "snapshots", "snap/1?x").encoded == "/1.0/instances/gold/snapshots/snap%2F1%3Fx")
        #expect(LXDPath("images", "aliases", "goldfleet/base/bookworm").encoded == "/1.0/images/aliases/goldfleet%2Fbase%2Fbookworm")
        #expect(LXDPath("storage-pools", "default", "resources").encoded == "/1.0/storage-pools/default/resources")
        #expect(LXDPath().encoded == "/1.0")
    }

    @Test("a path LXD returned keeps its slashes; appended segments are encoded")
    func serverPaths() {
        let operation = LXDPath(returnedByServer: "/1.0/operations/0b3f-42")
        #expect(operation.encoded == "/1.0/operations/0b3f-42")
        #expect(operation.appending("wait").encoded == "/1.0/operations/0b3f-42/wait")
        #expect(LXDPath(returnedByServer: "/1.0/x y?z").encoded == "/1.0/x%20y%3Fz")
    }
}
