import Foundation
import Testing
@testable import Gold
@testable import GoldfleetSupport
@testable import JujuKit
@testable import LXDKit
@testable import Orchestrator

/// Runs an action the first time a matching progress event arrives, and holds the pipeline that
/// reported it until the action is done: the fault lands exactly between two steps.
/// Blocking the reporting task is acceptable in a test (the action is one short `lxc` call).
final class FaultTrigger: ProgressSink, @unchecked Sendable {
    private let lock = NSLock()
    private var fired = false
    private let matches: @Sendable (ProgressEvent) -> Bool
    private let action: @Sendable () -> Void
    let recorded = RecordingProgress()

    init(when matches: @escaping @Sendable (ProgressEvent) -> Bool, do action: @escaping @Sendable () -> Void) {
        self.matches = matches
        self.action = action
    }

    func report(_ event: ProgressEvent) {
        recorded.report(event)
        let fire = lock.withLock { () -> Bool in
            guard !fired, matches(event) else { return false }
            fired = true
            return true
        }
        if fire { action() }
    }

    var hasFired: Bool { lock.withLock { fired } }
}

enum Fault {
    /// Runs a command to completion on the calling thread (for `FaultTrigger` actions only).
    @discardableResult
    static func runBlocking(_ executable: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Runs a shell command as root inside an instance.
    @discardableResult
    static func exec(_ instance: String, _ command: String) async throws -> Lab.Output {
        try await Lab.exec(in: instance, command)
    }

    /// The instances on the host whose name belongs to the environment, tagged or not.
    static func instances(of env: TestEnvironment, _ lxd: LXDClient) async throws -> [LXDInstance] {
        try await lxd.instances(matchingConfig: [:]).filter { $0.name.hasPrefix(env.name + "-") }
    }

    /// Ends a fault test: `down`, then nothing of the environment is left in LXD or in juju.
    static func downLeavesNothing(_ env: TestEnvironment, _ lxd: LXDClient) async throws {
        let down = try await env.orchestrator(lxd).down(environment: env.name)
        #expect(down.failures.isEmpty, "\(down.failures)")
        #expect(try await instances(of: env, lxd).map(\.name) == [])
        #expect(try await jujuMachineIDs(env) == [])
    }

    /// The ids of the machines in the environment's juju model; none when the model was never made.
    static func jujuMachineIDs(_ env: TestEnvironment) async throws -> [String] {
        do {
            return try await env.juju().machines().map(\.id)
        } catch let error as JujuError where error.reason == .notFound {
            return []
        }
    }

    /// Every instance of the environment carries goldfleet's tags for it.
    static func onlyTaggedInstances(_ env: TestEnvironment, _ lxd: LXDClient) async throws -> Bool {
        try await instances(of: env, lxd).allSatisfy {
            InstanceTags.isManaged($0.config) && $0.config[InstanceTags.environment] == env.name
        }
    }
}

/// The `goldfleet` binary running in the background, its stderr watched line by line.
final class GoldfleetProcess: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var errText = ""
    private var outData = Data()
    private let errPipe = Pipe()
    private let outPipe = Pipe()

    init(_ arguments: [String], environment: [String: String]) throws {
        process.executableURL = URL(fileURLWithPath: Lab.product("goldfleet"))
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outPipe
        process.standardError = errPipe
        errPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.errText += String(decoding: data, as: UTF8.self) }
        }
        outPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.outData.append(data) }
        }
        try process.run()
    }

    var stderr: String { lock.withLock { errText } }
    var stdout: String { lock.withLock { String(decoding: outData, as: UTF8.self) } }
    var pid: Int32 { process.processIdentifier }

    /// Waits until a stderr line contains `text`; false when the process ended or time ran out.
    func waitForStderr(containing text: String, timeout: Duration = .seconds(60)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if stderr.contains(text) { return true }
            if !process.isRunning { return stderr.contains(text) }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    func interrupt() { process.interrupt() }

    /// Waits for the exit (killing it after `timeout`) and returns the status.
    func wait(timeout: Duration = .seconds(180)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline { kill(process.processIdentifier, SIGKILL) }
            try await Task.sleep(for: .milliseconds(50))
        }
        // Let the readability handlers drain what is left in the pipes.
        try await Task.sleep(for: .milliseconds(100))
        errPipe.fileHandleForReading.readabilityHandler = nil
        outPipe.fileHandleForReading.readabilityHandler = nil
        return process.terminationStatus
    }
}
