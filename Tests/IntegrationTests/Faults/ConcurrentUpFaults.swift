import Foundation
import Testing
@testable import LXDKit

/// Two `goldfleet up` of one environment at once: the second stops at once, naming the holder;
/// the first is not disturbed.
@Suite("Fault: concurrent up", .serialized, .integrationLane)
struct ConcurrentUpFaults {
    @Test("a second up fails at once with `busy`, the first succeeds")
    func secondUpIsRefused() async throws {
        try await TestEnvironment.with(machines: "  web: {count: 1}") { env in
            let lxd = try LXDClient(endpoint: .unixSocket(path: Lab.socket))
            defer { Task { try? await lxd.shutdown() } }
            let first = try GoldfleetProcess(["up", env.inventoryPath], environment: env.environment)
            #expect(try await first.waitForStderr(containing: "\(env.name)-web-1: … "))

            let started = ContinuousClock.now
            let second = try await Lab.run("/usr/bin/env", env.environment.map { "\($0)=\($1)" } + [Lab.product("goldfleet"), "up", env.inventoryPath])
            #expect(ContinuousClock.now - started < .seconds(5))
            #expect(second.exitCode != 0)
            #expect(second.stderr.contains("environment `\(env.name)` is busy: another goldfleet (pid \(first.pid), "), "\(second.stderr)")
            #expect(second.stderr.contains("the lock is released as soon as that process exits"))

            #expect(try await first.wait() == 0, "\(first.stdout)\n\(first.stderr)")
            #expect(first.stdout.contains("1 machine(s) ready"))
            #expect(try await env.juju().machines().count == 1)
            try await Fault.downLeavesNothing(env, lxd)
        }
    }
}
