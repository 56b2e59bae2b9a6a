import Synchronization
import Testing
@testable import GoldfleetSupport

@Suite("Steps run to completion")
struct RunToCompletionTests {
    @Test("a step run to completion finishes although its caller was cancelled")
    func runsToCompletion() async throws {
        let finished = Mutex(false)
        let caller = Task {
            try await runToCompletion {
                try await Task.sleep(for: .milliseconds(100))
                finished.withLock { $0 = true }
            }
        }
        caller.cancel()
        try? await caller.value
        #expect(finished.withLock { $0 })
    }
}
