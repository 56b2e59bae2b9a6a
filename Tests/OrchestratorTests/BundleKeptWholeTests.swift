import Foundation
import TestSupport
import Testing
@testable import Inventory
@testable import JujuKit
@testable import LXDKit
@testable import Orchestrator

/// Issue 16 item 6: every bundle field goldfleet can honour reaches the inventory and juju's
/// command line; each one it cannot is a warning naming the field and the application.
@Suite("Bundle import keeps the bundle whole")
struct BundleKeptWholeTests {
    static func app(_ inventory: Inventory, _ name: String) throws -> ApplicationSpec {
        try #require(inventory.juju.applications.first { $0.name == name })
    }

    static func deployArguments(_ app: ApplicationSpec, version: JujuVersion) -> [String] {
        JujuAction.deploy(app).arguments(version: version) { _ in "7" }
    }

    static func texts(_ warnings: [Diagnostic]) -> [String] { warnings.map(\.description) }

    @Test("application constraints reach juju; placed on bundle machines they are a warning, not dropped")
    func constraints() throws {
        let (inventory, text, warnings) = try BundleImporterTests.importAndLoad("""
            machines:
              "0": {}
            applications:
              db:
                charm: postgresql
                num_units: 1
                to: ["0"]
                constraints: cores=2 mem=4G arch=amd64 cores=x
            """)
        let db = try Self.app(inventory, "db")
        #expect(db.constraints == "cores=2 mem=4G arch=amd64")
        #expect(text.contains("constraints: \"cores=2 mem=4G arch=amd64\"\n"))
        #expect(inventory.machines.map(\.group) == ["m0"])
        #expect(inventory.machines[0].cpu == nil)
        for version in [JujuVersion(major: 2, minor: 9), JujuVersion(major: 3, minor: 6)] {
            let arguments = Self.deployArguments(db, version: version)
            let index = try #require(arguments.firstIndex(of: "--constraints"))
            #expect(arguments[index + 1] == "cores=2 mem=4G arch=amd64")
        }
        #expect(Self.texts(warnings).contains(
            "bundle.yaml:8:18: warning: applications.db.constraints: `constraints` of `db` do not resize the machines its units are placed on (m0); juju gets them with --constraints, which a placement bypasses — hint: set `cpu:`/`memory:` on those machines in the inventory if the units need them"))
        #expect(Self.texts(warnings).contains { $0.contains("constraint `arch=amd64` has no LXD limit here; it only reaches juju") })
        #expect(Self.texts(warnings).contains { $0.contains("cannot read constraint `cores=x`") })
    }

    @Test("constraints of an application on its own new machines size them, silently")
    func constraintsOnNewMachines() throws {
        let (inventory, _, warnings) = try BundleImporterTests.importAndLoad("""
            applications:
              web: {charm: nginx, num_units: 2, constraints: cores=2 mem=1G}
            """)
        #expect(inventory.machines.map(\.cpu) == [2, 2])
        #expect(try Self.app(inventory, "web").constraints == "cores=2 mem=1G")
        #expect(!Self.texts(warnings).contains { $0.contains("do not resize") })
    }

    @Test("a subordinate's constraints are a warning (juju refuses them)")
    func subordinateConstraints() throws {
        let (inventory, _, warnings) = try BundleImporterTests.importAndLoad("""
            applications:
              ubuntu: {charm: ubuntu, num_units: 1}
              ntp: {charm: ntp, constraints: mem=1G}
            """)
        #expect(try Self.app(inventory, "ntp").constraints == nil)
        #expect(Self.texts(warnings).contains { $0.contains("`constraints` of `ntp`, which has no units (a subordinate), are not reproduced") })
    }

    @Test("trust: true becomes --trust on both juju lines")
    func trust() throws {
        let (inventory, text, _) = try BundleImporterTests.importAndLoad("""
            applications:
              aws: {charm: aws-integrator, num_units: 1, trust: true}
              other: {charm: ubuntu, num_units: 1, trust: false}
            """)
        let aws = try Self.app(inventory, "aws")
        #expect(aws.trust)
        #expect(try !Self.app(inventory, "other").trust)
        #expect(text.contains("trust: true\n"))
        #expect(!text.contains("trust: false"))
        for version in [JujuVersion(major: 2, minor: 9), JujuVersion(major: 3, minor: 6)] {
            #expect(Self.deployArguments(aws, version: version).contains("--trust"))
        }
    }

    @Test("expose: true becomes `juju expose APP` right after its deploy")
    func expose() throws {
        let (inventory, text, warnings) = try BundleImporterTests.importAndLoad("""
            applications:
              web: {charm: nginx, num_units: 1, expose: true, exposed-endpoints: {"": {expose-to-cidrs: [0.0.0.0/0]}}}
              db: {charm: postgresql, num_units: 1}
            """)
        #expect(try Self.app(inventory, "web").expose)
        #expect(text.contains("expose: true\n"))
        let plan = Plan.make(for: inventory)
        let commands = plan.jujuActions.map { $0.commandLine(model: "imported") }
        #expect(commands.filter { !$0.contains("model-config") }.map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
                == ["juju deploy", "juju expose", "juju deploy"])
        #expect(commands.contains("juju expose -m imported web"))
        #expect(plan.rendered().contains("# unless juju already exposes `web`"))
        #expect(Self.texts(warnings).contains { $0.contains("`exposed-endpoints` of `web` is not reproduced") })
    }

    @Test("bindings become one --bind expression, default space first")
    func bindings() throws {
        let (inventory, text, warnings) = try BundleImporterTests.importAndLoad("""
            applications:
              db:
                charm: postgresql
                num_units: 1
                bindings: {"": alpha, db: internal, admin: "Not A Space"}
            """)
        let db = try Self.app(inventory, "db")
        #expect(db.bindings == [ConfigEntry("", "alpha"), ConfigEntry("db", "internal")])
        #expect(text.contains("bindings:\n"))
        let arguments = Self.deployArguments(db, version: JujuVersion(major: 3, minor: 6))
        let index = try #require(arguments.firstIndex(of: "--bind"))
        #expect(arguments[index + 1] == "alpha db=internal")
        #expect(Self.texts(warnings).contains { $0.contains("binding of `db`: expected a space name, got") })
    }

    @Test("resources: charm revisions are carried; a file a bundle names is never carried")
    func resources() throws {
        let (inventory, text, warnings) = try BundleImporterTests.importAndLoad("""
            applications:
              app:
                charm: some-charm
                num_units: 1
                resources: {image: 3, blob: ./blob.tgz, key: /home/user/.ssh/id_rsa}
            """)
        let app = try Self.app(inventory, "app")
        #expect(app.resources == [ConfigEntry("image", "3")])
        #expect(!text.contains("blob.tgz") && !text.contains("id_rsa"))
        #expect(Self.deployArguments(app, version: JujuVersion(major: 2, minor: 9)).suffix(2) == ["--resource", "image=3"])
        let texts = Self.texts(warnings)
        #expect(texts.contains { $0.contains("resource `blob` of `app` is") && $0.contains("never uploads a file a bundle names") })
        #expect(texts.contains { $0.contains("resource `key` of `app` is") })
    }

    @Test("options juju would read from a file (`@FILE`, include-file://) are warnings, not carried")
    func optionsNamingFiles() throws {
        let (inventory, _, warnings) = try BundleImporterTests.importAndLoad("""
            applications:
              app:
                charm: some-charm
                num_units: 1
                options: {a: "@/etc/shadow", b: include-file://x.txt, c: plain}
            """)
        #expect(try Self.app(inventory, "app").config == [ConfigEntry("c", "plain")])
        let texts = Self.texts(warnings)
        #expect(texts.contains { $0.contains("option `a`: juju would read `@/etc/shadow` as a local file to upload; not reproduced") })
        #expect(texts.contains { $0.contains("option `b`: `include-file://` reads a file next to the bundle") })
    }

    @Test("series and bases become the application's base (--series on 2.9, --base on 3.x)")
    func seriesAndBase() throws {
        let (inventory, _, warnings) = try BundleImporterTests.importAndLoad("""
            series: focal
            applications:
              a: {charm: ubuntu, num_units: 1, series: jammy}
              b: {charm: ubuntu, num_units: 1, base: ubuntu@24.04/stable}
              c: {charm: ubuntu, num_units: 1}
              d: {charm: ubuntu, num_units: 1, series: trusty}
            """)
        #expect(try Self.app(inventory, "a").base == "ubuntu@22.04")
        #expect(try Self.app(inventory, "b").base == "ubuntu@24.04")
        #expect(try Self.app(inventory, "c").base == "ubuntu@20.04")
        #expect(try Self.app(inventory, "d").base == "ubuntu@20.04")
        #expect(Self.texts(warnings).contains { $0.contains("`series: trusty` is not a base goldfleet knows; not reproduced for application `d`") })
        let a = try Self.app(inventory, "a")
        #expect(Self.deployArguments(a, version: JujuVersion(major: 2, minor: 9)).suffix(2) == ["--series", "jammy"])
        #expect(Self.deployArguments(a, version: JujuVersion(major: 3, minor: 6)).suffix(2) == ["--base", "ubuntu@22.04"])
    }

    @Test("lxd:a/0 where a/0 is in a container: a sibling container, said so")
    func containerInContainer() throws {
        let (inventory, _, warnings) = try BundleImporterTests.importAndLoad("""
            machines:
              "0": {}
            applications:
              a: {charm: ubuntu, num_units: 1, to: ["lxd:0"]}
              b: {charm: ubuntu, num_units: 1, to: ["lxd:a/0"]}
            """)
        #expect(try Self.app(inventory, "b").placements == [.lxdContainer(onInstance: "imported-m0-1")])
        #expect(Self.texts(warnings).contains(
            "bundle.yaml:5:41: warning: applications.b.to[0]: `lxd:a/0`: a/0 is itself in a container, and juju does not nest a container in it here; b/0 gets its own container beside it, on machine m0 — hint: place b with `lxd:` on a machine (`lxd:N`) to say so in the bundle"))
    }

    @Test("the imported keys are validated: located errors, option-like values refused")
    func inventoryValidation() throws {
        let base = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let yaml = """
            name: demo
            machines:
              web: {}
            juju:
              applications:
                app:
                  charm: ubuntu
                  to: [web]
                  constraints: "--force"
                  trust: maybe
                  expose: 1
                  bindings: {"-x": alpha, db: "Bad Space"}
                  resources: {"--r": 1, image: missing.tgz, "a=b": 2}
            """
        let (inventory, diagnostics) = InventoryLoader.validate(yaml: yaml, file: "inv.yaml", baseDirectory: base)
        #expect(inventory == nil)
        let texts = diagnostics.map(\.description)
        #expect(texts.contains { $0.hasPrefix("inv.yaml:9:20: error: juju.applications.app.constraints: constraints `--force`") })
        #expect(texts.contains { $0.hasPrefix("inv.yaml:10:14: error: juju.applications.app.trust: expected true or false") })
        #expect(texts.contains { $0.hasPrefix("inv.yaml:11:15: error: juju.applications.app.expose: expected true or false") })
        #expect(texts.contains { $0.hasPrefix("inv.yaml:12:18: error: juju.applications.app.bindings.-x: endpoint `-x`") })
        #expect(texts.contains { $0.hasPrefix("inv.yaml:12:35: error: juju.applications.app.bindings.db: `Bad Space` is not a juju space name") })
        #expect(texts.contains { $0.hasPrefix("inv.yaml:13:19: error: juju.applications.app.resources.--r: resource name `--r`") })
        #expect(texts.contains { $0.contains("juju.applications.app.resources.image: no file `\(base)/missing.tgz` to upload as resource `image`") })
        #expect(texts.contains { $0.contains("resources.a=b: resource name `a=b` must be a non-empty name without `=`") })
    }

    @Test("a resource file the inventory names is resolved next to it and passed to juju")
    func inventoryResourceFile() throws {
        let base = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        _ = FileManager.default.createFile(atPath: base + "/blob.tgz", contents: Data("x".utf8))
        let yaml = """
            name: demo
            machines:
              web: {}
            juju:
              applications:
                app: {charm: ubuntu, to: [web], resources: {blob: blob.tgz, image: 4}, bindings: {"": alpha}}
            """
        let (inventory, diagnostics) = InventoryLoader.validate(yaml: yaml, file: "inv.yaml", baseDirectory: base)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let app = try Self.app(try #require(inventory), "app")
        #expect(app.resources == [ConfigEntry("blob", base + "/blob.tgz"), ConfigEntry("image", "4")])
        #expect(Self.deployArguments(app, version: JujuVersion(major: 3, minor: 6)).suffix(6)
                == ["--bind", "alpha", "--resource", "blob=\(base)/blob.tgz", "--resource", "image=4"])
    }
}

extension BundleKeptWholeTests {
    @Test("export --map-machines for a bundle without `machines:`: `existing`, and the inventory says so")
    func mapMachinesWithoutMachinesSection() throws {
        let (inventory, text, _) = try BundleImporterTests.importAndLoad("""
            applications:
              etcd: {charm: etcd, num_units: 2}
              m1: {charm: ubuntu, num_units: 1}
            """)
        #expect(text.contains("# `goldfleet export --map-machines` prints --map-machines=existing for `juju deploy BUNDLE`."))
        let machines = inventory.machines.enumerated().map { index, machine in
            EnvironmentExport.Machine(name: machine.instanceName, group: machine.group, ipv4: nil, jujuMachine: String(index))
        }
        #expect(machines.map(\.group) == ["etcd", "etcd", "m1-new"])
        #expect(Orchestrator.mapMachines(machines) == "existing")
        let withBundleMachines = [EnvironmentExport.Machine(name: "x-m10-1", group: "m10", ipv4: nil, jujuMachine: "4"),
                                  EnvironmentExport.Machine(name: "x-m2-1", group: "m2", ipv4: nil, jujuMachine: "3")]
        #expect(Orchestrator.mapMachines(withBundleMachines) == "existing,2=3,10=4")
    }
}
