import Foundation
import Testing
@testable import GoldfleetSupport
@testable import Inventory
@testable import LXDKit
@testable import Orchestrator

@Suite("Host limits for many containers")
struct HostLimitsTests {
    @Test("the kernel defaults are too small past about a dozen containers")
    func defaultsAreTooSmall() {
        let defaults = HostLimits(inotifyInstances: 128, inotifyWatches: 65536, maxKeys: 200)
        let problems = defaults.problems(forContainers: 16)
        #expect(problems.count == 3)
        #expect(problems[0].hasPrefix("fs.inotify.max_user_instances is 128; 16 containers need about 192"))
        #expect(defaults.problems(forContainers: 1).isEmpty == false)  // maxkeys 200 < 220
    }

    @Test("the lab's values carry many containers")
    func labValues() {
        let lab = HostLimits(inotifyInstances: 1_048_576, inotifyWatches: 1_048_576, maxKeys: 2000)
        #expect(lab.problems(forContainers: 16).isEmpty)
    }

    @Test("reads /proc/sys-like files, nil where unreadable")
    func readsFiles() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("procsys-\(UUID())").path
        try FileManager.default.createDirectory(atPath: root + "/fs/inotify", withIntermediateDirectories: true)
        try "512\n".write(toFile: root + "/fs/inotify/max_user_instances", atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(HostLimits.current(procSys: root) == HostLimits(inotifyInstances: 512, inotifyWatches: nil, maxKeys: nil))
    }
}

@Suite("Environment state and locking")
struct EnvironmentStateTests {
    @Test("state lives under GOLDFLEET_STATE, then XDG_STATE_HOME, then ~/.local/state")
    func stateDirectory() {
        #expect(StateDirectory(environment: ["GOLDFLEET_STATE": "/s", "HOME": "/h"]).root == "/s")
        #expect(StateDirectory(environment: ["XDG_STATE_HOME": "/x", "HOME": "/h"]).root == "/x/goldfleet")
        #expect(StateDirectory(environment: ["HOME": "/h"]).knownHosts(for: "demo") == "/h/.local/state/goldfleet/demo/known_hosts")
    }

    @Test("a second lock on the same environment is refused with who holds it")
    func lockIsExclusive() throws {
        let state = StateDirectory(root: FileManager.default.temporaryDirectory.appendingPathComponent("gf-\(UUID())").path)
        defer { try? FileManager.default.removeItem(atPath: state.root) }
        let first = try EnvironmentLock.acquire(environment: "demo", in: state)
        let error = #expect(throws: EnvironmentLock.Busy.self) {
            _ = try EnvironmentLock.acquire(environment: "demo", in: state)
        }
        #expect(error?.message.hasPrefix("environment `demo` is busy: another goldfleet (pid \(getpid())") == true)
        // Another environment is independent.
        _ = try EnvironmentLock.acquire(environment: "other", in: state)
        withExtendedLifetime(first) {}
    }

    @Test("the lock is held until its holder lets it go, then free for the next one")
    func lockReleases() throws {
        let state = StateDirectory(root: FileManager.default.temporaryDirectory.appendingPathComponent("gf-\(UUID())").path)
        defer { try? FileManager.default.removeItem(atPath: state.root) }
        var holder: EnvironmentLock? = try EnvironmentLock.acquire(environment: "demo", in: state)
        withExtendedLifetime(holder) { () -> Void in
            #expect(throws: EnvironmentLock.Busy.self) { _ = try EnvironmentLock.acquire(environment: "demo", in: state) }
        }
        holder = nil
        let next = try EnvironmentLock.acquire(environment: "demo", in: state)
        // The note says who holds it now, not the one before.
        #expect(try String(contentsOfFile: next.path, encoding: .utf8).hasPrefix("pid \(getpid()), "))
    }

    @Test("a lock held by another process refuses this one, and its death (kill -9) frees it: no stale lock",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/flock")))
    func lockFreedWhenHolderDies() throws {
        let state = StateDirectory(root: FileManager.default.temporaryDirectory.appendingPathComponent("gf-\(UUID())").path)
        defer { try? FileManager.default.removeItem(atPath: state.root) }
        try state.prepare("demo")
        // flock(1) takes the same kind of lock on the file; `-o` keeps it in flock's process
        // alone (not in the shell it starts), so killing flock is the holder dying.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = ["-o", "--exclusive", state.lock(for: "demo"), "-c", "echo held; read line"]
        let input = Pipe(), output = Pipe()
        holder.standardInput = input
        holder.standardOutput = output
        try holder.run()
        defer { try? input.fileHandleForWriting.close() }  // ends the shell's `read`
        #expect(String(decoding: output.fileHandleForReading.availableData, as: UTF8.self) == "held\n")

        #expect(throws: EnvironmentLock.Busy.self) { _ = try EnvironmentLock.acquire(environment: "demo", in: state) }
        kill(holder.processIdentifier, SIGKILL)
        // The kernel drops the lock as the process dies; a stale lock would stay Busy.
        var freed: EnvironmentLock?
        for _ in 0..<100 where freed == nil {
            freed = try? EnvironmentLock.acquire(environment: "demo", in: state)
            if freed == nil { usleep(100_000) }
        }
        #expect(freed?.path == state.lock(for: "demo"))
    }
}

@Suite("Orchestrator helpers")
struct OrchestratorHelperTests {
    @Test("mapConcurrently keeps order and never runs more than the limit at once")
    func boundedConcurrency() async {
        let gauge = Gauge()
        let results = await mapConcurrently(Array(0..<20), limit: 3, whenCancelled: { -$0 }) { item in
            gauge.enter()
            try? await Task.sleep(for: .milliseconds(5))
            gauge.leave()
            return item * 2
        }
        #expect(results == (0..<20).map { $0 * 2 })
        #expect(gauge.peak == 3)
    }

    @Test("SFTP paths: ~ and ~user resolve to the home directory", arguments: [
        ("~/wheelhouse", "/home/ubuntu/wheelhouse"),
        ("~ubuntu/wheelhouse", "/home/ubuntu/wheelhouse"),
        ("~", "/home/ubuntu"),
        ("/srv/wheels", "/srv/wheels"),
        ("~other/x", "~other/x"),
    ])
    func remotePaths(path: String, expected: String) {
        #expect(Orchestrator.remotePath(path, user: "ubuntu", home: "/home/ubuntu") == expected)
    }

    @Test("where a converged up reads the wheelhouse manifest: SFTP's relative paths are under the home", arguments: [
        ("/home/ubuntu/wheelhouse", "/home/ubuntu/wheelhouse"),
        ("wheelhouse/", "/home/ubuntu/wheelhouse"),
        ("/srv/wheels//", "/srv/wheels"),
    ])
    func absoluteRemotePaths(path: String, expected: String) {
        #expect(Orchestrator.absolutePath(path, home: "/home/ubuntu") == expected)
    }

    @Test("a unit's host machine", arguments: [("3", "3"), ("3/lxd/0", "3"), ("lxd:3", "3")])
    func hostMachine(placement: String, expected: String) {
        #expect(Orchestrator.hostMachine(of: placement) == expected)
    }

    @Test("--map-machines from bundle machine groups m<N>")
    func mapMachines() {
        let machines = [
            EnvironmentExport.Machine(name: "b-m1-1", group: "m1", ipv4: nil, jujuMachine: "7"),
            EnvironmentExport.Machine(name: "b-m0-1", group: "m0", ipv4: nil, jujuMachine: "6"),
            EnvironmentExport.Machine(name: "b-web-1", group: "web", ipv4: nil, jujuMachine: "8"),
        ]
        #expect(Orchestrator.mapMachines(machines) == "existing,0=6,1=7")
    }

    @Test("the wheelhouse digest changes with content, names and modes, not with order of creation")
    func wheelhouseDigest() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wh-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "a".write(toFile: dir + "/a.whl", atomically: true, encoding: .utf8)
        try "b".write(toFile: dir + "/sub/b.whl", atomically: true, encoding: .utf8)
        let first = try WheelhouseDigest.of(directory: dir)
        #expect(try WheelhouseDigest.of(directory: dir) == first)
        try "b2".write(toFile: dir + "/sub/b.whl", atomically: true, encoding: .utf8)
        let changed = try WheelhouseDigest.of(directory: dir)
        #expect(changed != first)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir + "/a.whl")
        #expect(try WheelhouseDigest.of(directory: dir) != changed)
    }
}

/// Counts how many tasks are inside at once.
final class Gauge: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    private(set) var peak = 0
    func enter() { lock.withLock { current += 1; peak = max(peak, current) } }
    func leave() { lock.withLock { current -= 1 } }
}
