import Foundation
import Testing
@testable import SSHKit

@Suite("Keyboard-interactive answers")
struct KeyboardInteractiveAnswerTests {
    @Test("the answer libssh2 frees holds exactly the password's UTF-8 bytes, and their count", arguments: [
        "", "plain", "pä🔑ss-ÿ", String(repeating: "é", count: 300),
    ])
    func exactBytes(password: String) throws {
        let bytes = Array(password.utf8)
        let (text, length) = mallocCopy(bytes)
        let memory = try #require(text)
        defer { free(memory) }
        #expect(Int(length) == bytes.count)
        #expect(Array(UnsafeRawBufferPointer(start: memory, count: Int(length))) == bytes)
        #expect(memory[Int(length)] == 0)
    }
}
