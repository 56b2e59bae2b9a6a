import Synchronization
import Testing
@testable import GoldfleetSupport

/// One step timer for `up`'s machine steps and the gold commands' steps, reporting to one sink.
@Suite("step timing")
struct StepTimingTests {
    /// A clock that moves 2 s each time it is read.
    static func steppingClock() -> MonotonicClock {
        let ticks = Mutex(0)
        return MonotonicClock { .seconds(ticks.withLock { $0 += 2; return $0 }) }
    }

    @Test("timedTask reports the start and the measured duration of a step to the sink")
    func timedTask() async {
        let progress = RecordingProgress()
        let value = await progress.timedTask("publish gold/snap1", clock: Self.steppingClock()) { 42 }
        #expect(value == 42)
        #expect(progress.events == [.taskStarted("publish gold/snap1"), .taskFinished("publish gold/snap1", duration: .seconds(2))])
    }

    @Test("a step that throws reports its start only, and the error comes through")
    func failingTask() async {
        struct Boom: Error {}
        let progress = RecordingProgress()
        await #expect(throws: Boom.self) {
            try await progress.timedTask("boot", clock: Self.steppingClock()) { throw Boom() }
        }
        #expect(progress.events == [.taskStarted("boot")])
    }

    @Test("measure returns the value and the time between the clock's two readings")
    func measure() async {
        let (value, duration) = await Self.steppingClock().measure { "done" }
        #expect(value == "done" && duration == .seconds(2))
    }
}
