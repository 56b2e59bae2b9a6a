import Foundation
import Testing
@testable import Inventory

/// What went wrong with a password source is one of a fixed set, compared by code, never by
/// wording; the wording names the source, never the value.
@Suite("password resolver codes")
struct PasswordResolverCodeTests {
    static func code(_ source: PasswordSource, environment: [String: String] = [:]) -> PasswordResolver.Missing.Code? {
        do {
            _ = try PasswordResolver.resolve(source, environment: environment)
            return nil
        } catch let missing as PasswordResolver.Missing {
            #expect(!missing.message.contains("hunter2"))
            return missing.code
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test("not set, empty, unreadable and NUL each have their code")
    func codes() throws {
        #expect(Self.code(.environment("GFT_PW")) == .notSet)
        #expect(Self.code(.environment("GFT_PW"), environment: ["GFT_PW": ""]) == .notSet)
        #expect(Self.code(.environment("GFT_PW"), environment: ["GFT_PW": "hunter2\u{0}x"]) == .containsNUL)
        #expect(Self.code(.inline("")) == .empty)
        #expect(Self.code(.file("/nonexistent/goldfleet/password")) == .unreadable)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gft-pw-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "\nhunter2\n".write(toFile: directory + "/password", atomically: true, encoding: .utf8)
        #expect(Self.code(.file(directory + "/password")) == .empty)
        #expect(Self.code(.environment("GFT_PW"), environment: ["GFT_PW": "hunter2"]) == nil)
    }
}
