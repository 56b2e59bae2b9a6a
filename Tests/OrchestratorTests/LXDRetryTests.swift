import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
@testable import GoldfleetSupport
@testable import LXDKit
@testable import Orchestrator

/// A clock that only moves when the code under test sleeps.
private final class FakeTime: @unchecked Sendable {
    private let lock = NSLock()
    private var elapsed: Duration = .zero
    private var pauses: [Duration] = []

    var clock: MonotonicClock { MonotonicClock { [self] in lock.withLock { elapsed } } }
    var slept: [Duration] { lock.withLock { pauses } }

    func sleep(_ pause: Duration) {
        lock.withLock { elapsed += pause; pauses.append(pause) }
    }

    func policy(window: Duration = .seconds(30)) -> LXDRetryPolicy {
        LXDRetryPolicy(window: window, firstDelay: .milliseconds(100), maximumDelay: .seconds(1), clock: clock,
                       sleep: { [self] in self.sleep($0) })
    }
}

/// Fails with the given errors in turn, then answers.
private final class Attempts: @unchecked Sendable {
    private let lock = NSLock()
    private var failures: [any Error]
    private(set) var count = 0

    init(failing failures: [any Error]) { self.failures = failures }

    func next() throws -> String {
        try lock.withLock {
            count += 1
            if !failures.isEmpty { throw failures.removeFirst() }
            return "answer"
        }
    }
}

@Suite("LXD restart: retry policy")
struct LXDRetryTests {
    static let refused = IOError(errnoCode: ECONNREFUSED, reason: "connect")
    static let missing = IOError(errnoCode: ENOENT, reason: "connect")
    static let reset = IOError(errnoCode: ECONNRESET, reason: "read")
    static let shuttingDown = LXDStoppingAnswer(status: 503, text: "LXD is shutting down")
    static let databaseClosed = LXDStoppingAnswer(status: 500, text: "Failed to begin transaction: sql: database is closed")

    @Test("how a request failed decides the outage")
    func classification() {
        #expect(LXDOutage(Self.refused) == .notSent)
        #expect(LXDOutage(Self.missing) == .notSent)
        #expect(LXDOutage(Self.reset) == .lostInFlight)
        #expect(LXDOutage(IOError(errnoCode: EPIPE, reason: "write")) == .lostInFlight)
        #expect(LXDOutage(HTTPClientError.remoteConnectionClosed) == .lostInFlight)
        #expect(LXDOutage(Self.shuttingDown) == .refused)
        #expect(LXDOutage(Self.databaseClosed) == .failedWhileStopping)
        #expect(LXDOutage(IOError(errnoCode: EACCES, reason: "connect")) == nil)
        #expect(LXDOutage(HTTPClientError.deadlineExceeded) == nil)
        #expect(LXDOutage(CancellationError()) == nil)
        #expect(LXDOutage(LXDError(kind: .notFound, action: "a", endpoint: "b")) == nil)
    }

    @Test("a request that never arrived or was refused is retried whatever it is; one lost in flight only when idempotent")
    func safety() {
        #expect(LXDRequestSafety.of(.GET) == .idempotent)
        for method in [LXDMethod.POST, .PUT, .PATCH, .DELETE] { #expect(LXDRequestSafety.of(method) == .atMostOnce) }
        for outage in [LXDOutage.notSent, .refused] {
            #expect(outage.permitsRetry(of: .idempotent) && outage.permitsRetry(of: .atMostOnce))
        }
        for outage in [LXDOutage.failedWhileStopping, .lostInFlight] {
            #expect(outage.permitsRetry(of: .idempotent) && !outage.permitsRetry(of: .atMostOnce))
        }
    }

    @Test("pauses double from 100 ms up to 1 s")
    func backoff() {
        let policy = LXDRetryPolicy.standard
        #expect((1...7).map { policy.delay(beforeRetry: $0) } == [
            .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1), .seconds(1),
        ])
    }

    @Test("a stopping daemon's answers are told from ordinary errors by status and LXD's words")
    func stoppingAnswers() {
        func body(_ text: String) -> [UInt8] { Array(#"{"type":"error","error":"\#(text)","error_code":0}"#.utf8) }
        #expect(LXDStoppingAnswer(status: 503, body: body("LXD is shutting down"))?.text == "LXD is shutting down")
        #expect(LXDStoppingAnswer(status: 500, body: body("Failed to begin transaction: sql: database is closed"))?.status == 500)
        #expect(LXDStoppingAnswer(status: 500, body: body("Instance is busy running a start operation")) == nil)
        #expect(LXDStoppingAnswer(status: 503, body: body("Cluster member c2 is unreachable")) == nil)
        #expect(LXDStoppingAnswer(status: 404, body: body("Instance not found")) == nil)
        #expect(LXDStoppingAnswer(status: 200, body: []) == nil)
    }

    @Test("a short restart is ridden out: the read is retried until the daemon answers again")
    func ridesOutRestart() async throws {
        let time = FakeTime()
        let memory = LXDAnswerMemory(.answered)
        let attempts = Attempts(failing: [Self.shuttingDown, Self.databaseClosed, Self.reset, Self.missing, Self.missing, Self.refused])
        let (value, outages) = try await time.policy().run(.idempotent, memory: memory) { try attempts.next() }
        #expect(value == "answer" && outages == 6 && attempts.count == 7)
        #expect(time.slept == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1)])
        #expect(memory.state == .answered)
    }

    @Test("a create lost in flight is never sent again; one that never arrived is")
    func atMostOnce() async throws {
        let time = FakeTime()
        let memory = LXDAnswerMemory(.answered)
        let lost = Attempts(failing: [HTTPClientError.remoteConnectionClosed])
        await #expect(throws: HTTPClientError.self) {
            _ = try await time.policy().run(.atMostOnce, memory: memory) { try lost.next() }
        }
        #expect(lost.count == 1 && time.slept.isEmpty)
        let halfDone = Attempts(failing: [Self.databaseClosed])
        await #expect(throws: LXDStoppingAnswer.self) {
            _ = try await time.policy().run(.atMostOnce, memory: memory) { try halfDone.next() }
        }
        #expect(halfDone.count == 1 && time.slept.isEmpty)

        let neverArrived = Attempts(failing: [Self.missing, Self.shuttingDown])
        let (_, outages) = try await time.policy().run(.atMostOnce, memory: memory) { try neverArrived.next() }
        #expect(outages == 2 && neverArrived.count == 3)
    }

    @Test("a daemon that stays away fails the request after the window, and later requests at once")
    func staysAway() async throws {
        let time = FakeTime()
        let memory = LXDAnswerMemory(.answered)
        let away = Attempts(failing: Array(repeating: Self.missing, count: 100))
        do {
            _ = try await time.policy(window: .seconds(5)).run(.idempotent, memory: memory) { try away.next() }
            Issue.record("no error although the daemon never came back")
        } catch let exhausted as LXDRetryExhausted {
            #expect((exhausted.last as? IOError)?.errnoCode == ENOENT)
            #expect(exhausted.window == .seconds(5))
        }
        // 0.1 + 0.2 + 0.4 + 0.8 + 1 + 1 + 1 = 4.5 s of pauses; the next one would pass 5 s.
        #expect(time.slept.reduce(.zero, +) == .milliseconds(4500))
        #expect(memory.state == .gaveUp)

        let next = Attempts(failing: [Self.missing])
        await #expect(throws: IOError.self) { _ = try await time.policy().run(.idempotent, memory: memory) { try next.next() } }
        #expect(next.count == 1)

        // Once it answers again, a later restart is waited for again.
        _ = try await time.policy().run(.idempotent, memory: memory) { try Attempts(failing: []).next() }
        #expect(memory.state == .answered)
    }

    @Test("a daemon that never answered is not running: no waiting")
    func neverAnswered() async throws {
        let time = FakeTime()
        let attempts = Attempts(failing: [Self.missing])
        await #expect(throws: IOError.self) {
            _ = try await time.policy().run(.idempotent, memory: LXDAnswerMemory()) { try attempts.next() }
        }
        #expect(attempts.count == 1 && time.slept.isEmpty)
    }

    @Test("the window of `never` is zero: no retry at all")
    func never() async throws {
        let attempts = Attempts(failing: [Self.missing])
        await #expect(throws: IOError.self) {
            _ = try await LXDRetryPolicy.never.run(.idempotent, memory: LXDAnswerMemory(.answered)) { try attempts.next() }
        }
        #expect(attempts.count == 1)
    }

    @Test("when LXD stays away the machine's failure names the step, the endpoint, the wait and the fix")
    func failureText() throws {
        let endpoint = LXDEndpoint.unixSocket(path: "/var/lib/goldfleet-solo/s1/unix.socket")
        let error = try #require(LXDError.transport(Self.missing, action: "waiting for an IPv4 address on eth0 of instance gfe-a-web-1",
                                                    endpoint: endpoint, note: "LXD did not answer again within 30 s") as? LXDError)
        #expect(error.kind == .daemonUnavailable)
        let failure = MachineFailure(machine: "gfe-a-web-1", step: .address, underlying: error)
        #expect(failure.message == "gfe-a-web-1: waiting for IPv4 failed: waiting for an IPv4 address on eth0 of instance gfe-a-web-1 failed on the LXD socket /var/lib/goldfleet-solo/s1/unix.socket: the socket does not exist (is the daemon running?); LXD did not answer again within 30 s")
        #expect(failure.hint?.contains("Start LXD") == true)
        #expect(failure.hint?.contains("then run `goldfleet up` again") == true)

        let refusal = try #require(LXDError.transport(Self.shuttingDown, action: "starting instance x", endpoint: endpoint) as? LXDError)
        #expect(refusal.kind == .daemonUnavailable && refusal.detail == "LXD answered 503: LXD is shutting down")
        let closed = try #require(LXDError.transport(Self.databaseClosed, action: "creating instance x", endpoint: endpoint) as? LXDError)
        #expect(closed.kind == .daemonUnavailable && closed.detail == "LXD is stopping: Failed to begin transaction: sql: database is closed")
        #expect(closed.hint?.contains("then run `goldfleet up` again") == true)
    }
}
