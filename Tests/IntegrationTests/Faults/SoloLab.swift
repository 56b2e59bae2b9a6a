import Foundation

/// The private standalone LXD daemon made by `scripts/lab-cluster solo up`, which fault tests may
/// stop and restart (the lab's main daemon is shared and must never be restarted).
enum SoloLab {
    static let endpointFile = Lab.cacheDirectory + "/solo/endpoint.env"

    struct Endpoint: Sendable {
        var socket: String
        var image: String
        var pool: String
        /// `LXD_DIR` of the daemon, for `lxc` in test code.
        var directory: String { (socket as NSString).deletingLastPathComponent }
    }

    /// Reads endpoint.env and checks the daemon answers; fails (never skips) when it is not up.
    static func require() async throws -> Endpoint {
        guard let text = try? String(contentsOfFile: endpointFile, encoding: .utf8) else {
            throw Lab.Unavailable(description: "\(endpointFile) is missing: the solo LXD daemon is not up — run `scripts/lab-cluster solo up` (scripts/test does)")
        }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        guard let socket = values["LXD_SOLO_SOCKET"], let image = values["LXD_SOLO_IMAGE"], let pool = values["LXD_SOLO_POOL"] else {
            throw Lab.Unavailable(description: "\(endpointFile) lacks LXD_SOLO_* entries — run `scripts/lab-cluster solo up` again")
        }
        let endpoint = Endpoint(socket: socket, image: image, pool: pool)
        guard (try? await serverPID(endpoint, patience: .seconds(5))) != nil else {
            throw Lab.Unavailable(description: "the solo LXD daemon at \(socket) does not answer — run `scripts/lab-cluster solo up`")
        }
        return endpoint
    }

    /// The daemon's process id (it changes with every restart). A daemon that has just started
    /// may take a moment under load before it answers: asked for up to `patience`.
    static func serverPID(_ endpoint: Endpoint, patience: Duration = .seconds(30)) async throws -> Int {
        let clock = ContinuousClock()
        let end = clock.now + patience
        while true {
            let output = try await Lab.run("/usr/bin/env", ["LXD_DIR=\(endpoint.directory)", "/usr/bin/timeout", "10", "/usr/bin/lxc", "query", "/1.0"])
            if output.exitCode == 0,
               let object = try? JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any],
               let environment = object["environment"] as? [String: Any],
               let pid = environment["server_pid"] as? Int {
                return pid
            }
            guard clock.now < end else {
                throw Lab.Unavailable(description: "lxc query /1.0 on the solo daemon failed (exit \(output.exitCode)): \(output.stderr)")
            }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    /// `scripts/lab-cluster solo ARGS`, run to completion on the calling thread: for
    /// `FaultTrigger` actions, which must land between two steps of a pipeline.
    static func scriptBlocking(_ argument: String) -> Int32 {
        Fault.runBlocking("/bin/bash", ["-c", detachedCommand(argument)])
    }

    /// `scripts/lab-cluster solo ARGS` in the background; the task ends when the script does.
    static func scriptInBackground(_ argument: String) -> Task<Int32, Never> {
        Task.detached { Fault.runBlocking("/bin/bash", ["-c", detachedCommand(argument)]) }
    }

    /// `start` leaves a daemon running that would inherit our descriptors (see ClusterLab.script):
    /// close them, and send the output to a log file.
    private static func detachedCommand(_ argument: String) -> String {
        let closeInherited = #"for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null; done; "#
        return closeInherited + "exec '\(ClusterLab.repository)/scripts/lab-cluster' solo \(argument) </dev/null >>/tmp/gft-lab-solo.log 2>&1"
    }
}
