import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C and SIGTERM cancel the work instead of killing the process: no new step starts, the
/// steps in flight end (each LXD request is atomic, nothing is created untagged), and the
/// command prints what exists. A second signal exits at once.
enum Interruption {
    /// `removesWhatItMade`: the command deletes what it had started when cancelled (gold build,
    /// gold doctor), and its interruption error says so.
    static func cancellingOnSignal<T: Sendable>(
        removesWhatItMade: Bool = false, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let task = Task { try await body() }
        let sources = [SIGINT, SIGTERM].map { signalNumber -> any DispatchSourceSignal in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            let count = Counter()
            source.setEventHandler {
                if count.increment() > 1 { exit(130) }
                FileHandle.standardError.write(Data("\ninterrupted: finishing the steps in flight (again to quit at once)\n".utf8))
                task.cancel()
            }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        do {
            return try await task.value
        } catch is CancellationError where removesWhatItMade {
            throw CommandLineError.interruptedAndCleanedUp
        }
    }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func increment() -> Int { lock.withLock { value += 1; return value } }
    }
}
