import Foundation
import Testing
@testable import LXDKit

/// Charm hooks run as root with the system Python: `pip_install: true` must install the
/// wheelhouse where they look, not into ubuntu's `--user` site (issue 16 item 5).
@Suite("Wheelhouse pip install is visible to charm hooks", .serialized, .integrationLane)
struct WheelhouseForHooksTests {
    @Test("after up with pip_install, root's python3 imports a package from the wheelhouse")
    func rootImportsTheWheel() async throws {
        let machines = "  web: {count: 1, wheelhouse: {path: wheelhouse, pip_install: true}}"
        try await TestEnvironment.with(machines: machines) { env in
            // The environment's wheelhouse holds one real wheel (`gftdemo`) instead of filler.
            let built = try await GoldLab.makeWheelhouse()
            defer { try? FileManager.default.removeItem(atPath: built) }
            try FileManager.default.removeItem(atPath: env.wheelhouse)
            try FileManager.default.copyItem(atPath: built, toPath: env.wheelhouse)

            let lxd = try LXDClient(endpoint: .unixSocket(path: Lab.socket))
            defer { Task { try? await lxd.shutdown() } }
            let report = try await env.orchestrator(lxd).up(try env.inventory())
            #expect(report.succeeded, "\(report.json())")
            let machine = "\(env.name)-web-1"
            let asRoot = try await lxd.exec(instance: machine, command: ["python3", "-c", "import gftdemo; print(gftdemo.VALUE)"])
            #expect(asRoot.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "42", "as root: \(asRoot.stderr)")
            let user = try await lxd.exec(instance: machine, command: ["runuser", "-u", "ubuntu", "--", "python3", "-c", "import gftdemo"])
            #expect(user.exitCode == 0, "as ubuntu: \(user.stderr)")
        }
    }
}
