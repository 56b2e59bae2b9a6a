import Foundation
import Testing
@testable import Gold
@testable import LXDKit

@Suite("Gold build and doctor (real LXD)", .serialized, .integrationLane)
struct GoldBuildTests {
    @Test("a gold built from the lab's base image passes doctor, and two clones differ in machine-id, host keys and IP")
    func buildDoctorAndClones() async throws {
        let lxd = try await GoldLab.client()
        try await GoldLab.withCleanup(lxd) { cleanup in
            let name = Lab.uniqueName("gold")
            cleanup.instance(name)
            let wheelhouse = try await GoldLab.makeWheelhouse()
            cleanup.directory(wheelhouse)
            var options = try GoldLab.buildOptions(name)
            options.wheelhouse = wheelhouse
            options.pipInstallWheelhouse = true
            let events = EventLog()
            let report = try await GoldLab.build(lxd, options, events: events)

            #expect(report.snapshot == "snap1")
            #expect(report.checks.allSatisfy { $0.status == .passed }, "quick checks: \(report.checks)")
            #expect(report.steps.count >= 10)
            #expect(events.events.contains(.taskStarted("snapshot")))
            let gold = try #require(try await lxd.instance(named: name))
            #expect(gold.status == "Stopped")
            #expect(gold.config[GoldTags.gold] == "true")
            #expect(gold.config[InstanceTags.managedBy] == "goldfleet")

            let doctor = try await GoldDoctor(lxd: lxd, options: GoldLab.doctorOptions()).examine(GoldReference(instance: name, snapshot: "snap1"))
            #expect(doctor.passed, "\(doctor.rendered())")
            #expect(doctor.check("wheelhouse")?.status == .passed, "\(doctor.rendered())")
            for check in ["machine-id", "ssh host keys", "first-boot keygen", "password login", "sudo -n", "python3 + pip", "apt timers", "juju agent"] {
                #expect(doctor.check(check)?.status == .passed, "\(check): \(doctor.rendered())")
            }
            // The doctor's temporary clone is gone.
            let temporary = try #require(doctor.temporaryInstance)
            #expect(try await lxd.instance(named: temporary) == nil)

            // Two clones: each its own machine-id, host keys and address.
            var seen: [(id: String, key: String, ip: String)] = []
            for index in 0..<2 {
                let clone = Lab.uniqueName("goldclone\(index)")
                cleanup.instance(clone)
                try await GoldLab.copy(lxd, from: name, snapshot: "snap1", to: clone)
                try await lxd.start(clone)
                let ip = try await lxd.waitForIPv4(clone, timeout: .seconds(60))
                _ = try await lxd.exec(instance: clone, command: ["timeout", "60", "systemctl", "is-system-running", "--wait"])
                let id = try await lxd.exec(instance: clone, command: ["cat", "/etc/machine-id"]).stdout
                let key = try await lxd.exec(instance: clone, command: ["ssh-keygen", "-lf", "/etc/ssh/ssh_host_ed25519_key.pub"]).stdout
                // As root with the system Python, as charm hooks run.
                let pip = try await lxd.exec(instance: clone, command: ["python3", "-c", "import gftdemo; print(gftdemo.VALUE)"])
                #expect(pip.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "42", "wheelhouse pre-installed system-wide: \(pip.stderr)")
                seen.append((id.trimmingCharacters(in: .whitespacesAndNewlines), key, ip))
            }
            #expect(seen[0].id.count == 32 && seen[1].id.count == 32)
            #expect(seen[0].id != seen[1].id)
            #expect(!seen[0].key.isEmpty && seen[0].key != seen[1].key)
            #expect(seen[0].ip != seen[1].ip)
        }
    }

    @Test("build refuses an existing instance goldfleet did not build, and replaces its own only with --replace")
    func replaceRules() async throws {
        let lxd = try await GoldLab.client()
        try await GoldLab.withCleanup(lxd) { cleanup in
            let foreign = Lab.uniqueName("notgold")
            cleanup.instance(foreign)
            try await lxd.createInstance(LXDCreateInstance(name: foreign, source: .image(alias: GoldLab.baseImage), pool: Lab.pool,
                                                           config: GoldLab.testConfig))
            var options = try GoldLab.buildOptions(foreign)
            options.replace = true
            let refused = await #expect(throws: GoldError.self) { try await GoldLab.build(lxd, options) }
            #expect(refused?.message.contains("was not built by goldfleet") == true)
            #expect(try await lxd.instance(named: foreign) != nil, "the foreign instance is left alone")

            let name = Lab.uniqueName("gold")
            cleanup.instance(name)
            _ = try await GoldLab.build(lxd, try GoldLab.buildOptions(name))
            let again = await #expect(throws: GoldError.self) { try await GoldLab.build(lxd, try GoldLab.buildOptions(name)) }
            #expect(again?.hint?.contains("--replace") == true)
            var replacing = try GoldLab.buildOptions(name)
            replacing.replace = true
            let report = try await GoldLab.build(lxd, replacing)
            #expect(report.snapshot == "snap1")

            let missing = await #expect(throws: GoldError.self) {
                var options = try GoldLab.buildOptions(Lab.uniqueName("gold"))
                options.baseImage = "gft-no-such/image"
                return try await GoldLab.build(lxd, options)
            }
            #expect(missing?.message.contains("gft-no-such/image") == true)
        }
    }
}
