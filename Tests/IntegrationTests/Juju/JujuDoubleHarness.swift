import Foundation
import Testing
@testable import GoldfleetSupport
@testable import JujuKit

/// One test's private juju client world: the built Juju double, a temp `$JUJU_DATA` (holding
/// juju's client key and the double's model state) and a temp known_hosts for juju's ssh.
struct JujuDoubleHarness: Sendable {
    let executable: String
    let directory: String
    var jujuData: String { "\(directory)/juju-data" }
    var knownHosts: String { "\(directory)/known_hosts" }
    var extraEnvironment: [String: String] = [:]

    var environment: [String: String] {
        ["JUJU_DATA": jujuData, "JUJU_DOUBLE_KNOWN_HOSTS": knownHosts].merging(extraEnvironment) { $1 }
    }

    /// Creates the temp directories; the first double command creates juju's key as bootstrap would.
    /// `line` is the juju line the double speaks (`GOLDFLEET_DOUBLE_VERSION`: `2.9`, `3.x`).
    static func make(version: String? = nil, line: String? = nil) async throws -> JujuDoubleHarness {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gft-juju-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: "\(directory)/known_hosts", contents: Data())
        var harness = JujuDoubleHarness(executable: try locateDouble(), directory: directory)
        if let version { harness.extraEnvironment["JUJU_DOUBLE_VERSION"] = version }
        if let line { harness.extraEnvironment["GOLDFLEET_DOUBLE_VERSION"] = line }
        let result = try await harness.run(["version"])
        #expect(result.exitCode == 0, "juju version: \(result.standardError)")
        return harness
    }

    func cleanup() { try? FileManager.default.removeItem(atPath: directory) }

    func cli(model: String = "gf") -> JujuCLI {
        JujuCLI(executable: executable, model: model, environment: environment)
    }

    /// Runs the double directly (to check its own output, not the driver's reading of it).
    func run(_ arguments: [String]) async throws -> ProcessResult {
        try await SystemProcessRunner().run(Command(executable, arguments, environment: environment))
    }

    var publicKey: String {
        get throws {
            try String(contentsOfFile: "\(jujuData)/ssh/juju_id_rsa.pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// Test set-up: puts juju's public key into ubuntu's authorized_keys in the container.
    func authorize(_ container: LabContainer) async throws {
        let key = try publicKey
        try await Self.exec(container, """
            install -d -m 700 -o ubuntu -g ubuntu /home/ubuntu/.ssh && \
            echo '\(key)' >> /home/ubuntu/.ssh/authorized_keys && \
            chown ubuntu:ubuntu /home/ubuntu/.ssh/authorized_keys && chmod 600 /home/ubuntu/.ssh/authorized_keys
            """, allowFailure: false)
    }

    /// Test set-up: the container ready for juju (its key authorized, its host key trusted) and
    /// registered in the model with `add-machine`; returns the driver and the machine id.
    func registered(_ container: LabContainer) async throws -> (juju: JujuCLI, machine: String) {
        try await authorize(container)
        try await trust(container)
        let juju = cli()
        _ = try await juju.ensureModel()
        return (juju, try await juju.addMachine(user: "ubuntu", host: container.ipv4))
    }

    /// Runs a command in the container through LXD's REST exec (an `lxc exec` was seen to hang
    /// for minutes under load).
    @discardableResult
    static func exec(_ container: LabContainer, _ command: String, allowFailure: Bool = true) async throws -> Lab.Output {
        try await Lab.exec(in: container.name, command, allowFailure: allowFailure)
    }

    /// Test set-up: waits for sshd and pins the container's ed25519 host key in the temp known_hosts.
    func trust(_ container: LabContainer) async throws {
        let line = try await Self.waitForSSH(container)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: knownHosts))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(line.utf8))
        try handle.close()
    }

    /// Waits until sshd listens (first boot generates the host keys); returns its known_hosts line.
    static func waitForSSH(_ container: LabContainer) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            let key = try await exec(container, "ss -ltn | grep -q ':22 ' && cat /etc/ssh/ssh_host_ed25519_key.pub")
            let fields = key.stdout.split(separator: " ")
            if key.exitCode == 0, fields.count >= 2 {
                return "\(container.ipv4) \(fields[0]) \(fields[1])\n"
            }
            guard ContinuousClock.now < deadline else {
                throw Lab.Unavailable(description: "sshd in \(container.name) did not come up: \(key.stderr)")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// The `juju` executable SwiftPM builds from the JujuDouble target, next to the test bundle.
    static func locateDouble(filePath: String = #filePath) throws -> String {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        candidates.append(Bundle.main.bundleURL)
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        let packageRoot = URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug"))
        for directory in candidates {
            let path = directory.appendingPathComponent("juju").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw Lab.Unavailable(description: """
            the Juju double (`juju`, from Sources/JujuDouble) is not built; looked in \
            \(candidates.map(\.path).joined(separator: ", ")). Run `swift build --product juju` \
            (or `swift build --build-tests`) first.
            """)
    }
}
