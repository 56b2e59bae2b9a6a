import Foundation
import TestSupport
import Testing
@testable import GoldfleetSupport

/// A path a user names may be anything: each kind is refused by what it is, quickly.
@Suite("Reading input files")
struct InputFileTests {
    static func reason(_ path: String, limit: Int = InputFile.defaultLimit) -> String? {
        do {
            _ = try InputFile.readText(path, limit: limit)
            return nil
        } catch {
            return error.message
        }
    }

    @Test("a directory, a FIFO, a device, a missing file and non-UTF-8 bytes each say what they are")
    func kinds() throws {
        let directory = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(Self.reason(directory) == "cannot read \(directory): it is a directory")
        let fifo = directory + "/pipe.yaml"
        #expect(mkfifo(fifo, 0o600) == 0)
        // Opening a FIFO for reading blocks until a writer appears: this must return at once.
        #expect(Self.reason(fifo) == "cannot read \(fifo): it is a named pipe (FIFO)")
        #expect(Self.reason("/dev/zero") == "cannot read /dev/zero: it is a character device")
        #expect(Self.reason(directory + "/missing.yaml") == "cannot read \(directory)/missing.yaml: no such file")
        let latin1 = directory + "/latin1.yaml"
        _ = FileManager.default.createFile(atPath: latin1, contents: Data("name: caf".utf8 + [0xE9, 0x0A]))
        #expect(Self.reason(latin1) == "cannot read \(latin1): it is not UTF-8 text (invalid byte at offset 9)")
        let good = directory + "/good.yaml"
        try "name: café\n".write(toFile: good, atomically: true, encoding: .utf8)
        #expect(try InputFile.readText(good) == "name: café\n")
    }

    @Test("a file over the limit is refused by its size, without being read")
    func tooLarge() throws {
        let directory = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sparse = directory + "/huge.yaml"
        _ = FileManager.default.createFile(atPath: sparse, contents: nil)
        // 64 GB of nothing, instantly: reading it would take minutes and all memory.
        #expect(truncate(sparse, 64 << 30) == 0)
        #expect(Self.reason(sparse) == "cannot read \(sparse): it is larger than the limit of 10 MB")
        let small = directory + "/small.yaml"
        try String(repeating: "a", count: 2 << 20).write(toFile: small, atomically: true, encoding: .utf8)
        #expect(Self.reason(small, limit: 1 << 20) == "cannot read \(small): it is larger than the limit of 1 MB")
        #expect(Self.reason(small, limit: 512 << 10) == "cannot read \(small): it is larger than the limit of 512 KB")
        #expect(InputFile.size(100) == "100 bytes")
    }
}
