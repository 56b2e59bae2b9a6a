import Testing
@testable import Gold

@Suite("Gold snapshot names")
struct GoldSnapshotNameTests {
    @Test("the first snapshot is snap1")
    func first() {
        #expect(GoldSnapshotName.next(after: []) == "snap1")
        #expect(GoldSnapshotName.next(after: ["before-upgrade"]) == "snap1")
    }

    @Test("the next is one past the highest, never reusing a deleted number")
    func next() {
        #expect(GoldSnapshotName.next(after: ["snap1"]) == "snap2")
        #expect(GoldSnapshotName.next(after: ["snap1", "snap3"]) == "snap4")
        #expect(GoldSnapshotName.next(after: ["snap9", "snap10", "other", "snapx"]) == "snap11")
    }

    @Test("the latest is the highest number, not the last in lexical order")
    func latest() {
        #expect(GoldSnapshotName.latest(in: ["snap2", "snap10", "snap9"]) == "snap10")
        #expect(GoldSnapshotName.latest(in: ["manual"]) == nil)
        #expect(GoldList.sortedSnapshots(["snap10", "manual", "snap2"]) == ["snap2", "snap10", "manual"])
    }

    @Test("GOLD and GOLD/SNAPSHOT parse; anything else does not")
    func reference() {
        #expect(GoldReference(parsing: "gold") == GoldReference(instance: "gold"))
        #expect(GoldReference(parsing: "gold/snap1") == GoldReference(instance: "gold", snapshot: "snap1"))
        #expect(GoldReference(parsing: "gold/snap1")?.description == "gold/snap1")
        for bad in ["", "/snap1", "gold/", "a/b/c"] { #expect(GoldReference(parsing: bad) == nil) }
    }
}
