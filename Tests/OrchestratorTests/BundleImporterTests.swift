import Foundation
import TestSupport
import Testing
@testable import Inventory
@testable import Orchestrator

@Suite("Bundle import")
struct BundleImporterTests {
    /// Imports a bundle and loads the result as an inventory; fails the test on any error.
    /// `localCharms`: charm directories (relative) the bundle deploys, made next to the inventory
    /// so validate finds them.
    static func importAndLoad(_ yaml: String, file: String = "bundle.yaml", name: String = "imported", localCharms: [String] = [])
        throws -> (inventory: Inventory, text: String, warnings: [Diagnostic])
    {
        let (text, warnings) = try BundleImporter.importBundle(yaml: yaml, file: file, environmentName: name)
        let base = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        for charm in localCharms {
            try FileManager.default.createDirectory(atPath: "\(base)/\(charm)", withIntermediateDirectories: true)
            try "name: \(charm)\n".write(toFile: "\(base)/\(charm)/metadata.yaml", atomically: true, encoding: .utf8)
        }
        let (inventory, diagnostics) = InventoryLoader.validate(yaml: text, file: "imported.yaml", baseDirectory: base)
        #expect(diagnostics.isEmpty, "\(diagnostics)\n\(text)")
        return (try #require(inventory), text, warnings)
    }

    @Test("every real bundle imports, validates and plans", arguments: try InventoryFixtures.bundleNames())
    func realBundle(_ name: String) throws {
        let yaml = try InventoryFixtures.bundle(name)
        let (inventory, _, warnings) = try Self.importAndLoad(yaml, file: name)
        #expect(warnings.allSatisfy { $0.severity == .warning })
        #expect(!inventory.machines.isEmpty)
        #expect(!inventory.juju.applications.isEmpty)
        for app in inventory.juju.applications {
            #expect(app.placements.count == app.numUnits, "\(app.name)")
        }
        let plan = Plan.make(for: inventory)
        #expect(plan.machines.count == inventory.machines.count)
        #expect(plan.rendered().contains("juju deploy"))
    }

    @Test("openstack-base: three nesting machines, containers and anchors resolved")
    func openstackBase() throws {
        let (inventory, text, warnings) = try Self.importAndLoad(try InventoryFixtures.bundle("openstack-base.yaml"),
                                                                 file: "openstack-base.yaml", name: "os")
        #expect(inventory.machines.map(\.instanceName) == ["os-m0-1", "os-m1-1", "os-m2-1"])
        #expect(inventory.machines.allSatisfy { $0.nesting })
        let apps = Dictionary(uniqueKeysWithValues: inventory.juju.applications.map { ($0.name, $0) })
        #expect(apps["ceph-osd"]?.placements == ["os-m0-1", "os-m1-1", "os-m2-1"].map { .machine(instanceName: $0) })
        #expect(apps["ceph-mon"]?.placements == ["os-m0-1", "os-m1-1", "os-m2-1"].map { .lxdContainer(onInstance: $0) })
        #expect(apps["ceph-mon"]?.charm == "ceph-mon")
        #expect(apps["ceph-mon"]?.channel == "quincy/stable")
        #expect(apps["ceph-mon"]?.config.map(\.description)
                == ["expected-osd-count=3", "monitor-count=3", "source=cloud:focal-yoga"])
        #expect(apps["ovn-chassis"]?.numUnits == 0)
        #expect(apps["ovn-chassis"]?.placements == [])
        #expect(apps["ovn-chassis"]?.config.first?.description == "ovn-bridge-mappings=physnet1:br-ex")
        #expect(inventory.juju.relations.count == 59)
        #expect(inventory.juju.relations.first?.description == "nova-compute:amqp rabbitmq-server:amqp")
        #expect(text.contains("name: os\n"))
        // The bundle's `series: focal` is every application's base (issue 16 item 6).
        #expect(inventory.juju.applications.allSatisfy { $0.base == "ubuntu@20.04" })
        #expect(!warnings.contains { $0.keyPath == "series" })
        #expect(warnings.map(\.description).contains(
            "openstack-base.yaml: warning: applications.*.annotations: GUI annotations of 27 applications are not reproduced — hint: they only position icons in the juju dashboard"))
    }

    @Test("an old `services:` bundle with lxc: placements and charm-store URLs")
    func legacyServices() throws {
        let (inventory, _, warnings) = try Self.importAndLoad(
            try InventoryFixtures.bundle("openstack-base-xenial-services.yaml"), file: "old.yaml", name: "old")
        #expect(inventory.machines.map(\.group) == ["m0", "m1", "m2", "m3"])
        let apps = Dictionary(uniqueKeysWithValues: inventory.juju.applications.map { ($0.name, $0) })
        #expect(apps["ceph-mon"]?.charm == "ceph-mon")
        #expect(apps["ceph-mon"]?.placements == ["old-m1-1", "old-m2-1", "old-m3-1"].map { .lxdContainer(onInstance: $0) })
        #expect(apps["neutron-gateway"]?.placements == [.machine(instanceName: "old-m0-1")])
        #expect(apps["cinder-ceph"]?.numUnits == 0)
        let texts = warnings.map(\.description)
        #expect(texts.contains { $0 == "old.yaml:94:7: warning: services.ceph-mon.to[0]: `lxc:` is the old name of `lxd:`; imported as `lxd:`" })
        #expect(texts.contains(
            "old.yaml:89:12: warning: services.ceph-mon.charm: charm store URL `cs:xenial/ceph-mon-6` is not reproduced; using the Charmhub charm `ceph-mon` without its revision — hint: the charm store is closed; set `channel:` (and `revision:`) on `ceph-mon` in the inventory"))
        #expect(texts.contains("old.yaml:3:13: warning: machines.0.series: `series: xenial` is not reproduced; machine 0 is a clone of the gold"))
    }

    @Test("kubernetes-core: constraints become cpu and memory, the rest are warnings")
    func kubernetesCore() throws {
        let (inventory, _, warnings) = try Self.importAndLoad(try InventoryFixtures.bundle("kubernetes-core.yaml"),
                                                              file: "k8s.yaml", name: "k8s")
        #expect(inventory.machines.map { "\($0.instanceName) \($0.cpu ?? 0) \($0.memory ?? "-") \($0.nesting)" }
                == ["k8s-m0-1 2 8GiB true", "k8s-m1-1 2 8GiB false"])
        let easyrsa = try #require(inventory.juju.applications.first { $0.name == "easyrsa" })
        #expect(easyrsa.placements == [.lxdContainer(onInstance: "k8s-m0-1")])
        #expect(warnings.contains { $0.keyPath == "machines.0.constraints" && $0.message.contains("`root-disk=16G`") })
        // `expose: true` is carried (issue 16 item 6), so it is no warning.
        #expect(inventory.juju.applications.first { $0.name == "kubernetes-control-plane" }?.expose == true)
        #expect(!warnings.contains { $0.keyPath == "applications.kubernetes-control-plane.expose" })
    }

    @Test("a bundle without machines gets a machine group per application")
    func noMachines() throws {
        let (inventory, _, warnings) = try Self.importAndLoad(
            try InventoryFixtures.bundle("charmed-kubernetes-1.14-services.yaml"), file: "ck.yaml", name: "ck")
        let groups = Dictionary(grouping: inventory.machines, by: \.group).mapValues(\.count)
        #expect(groups == ["easyrsa": 1, "etcd": 3, "kubeapi-load-balancer": 1, "kubernetes-master": 2, "kubernetes-worker": 3])
        let master = try #require(inventory.machines.first { $0.group == "kubernetes-master" })
        #expect(master.cpu == 2 && master.memory == "4GiB")
        let flannel = try #require(inventory.juju.applications.first { $0.name == "flannel" })
        #expect(flannel.numUnits == 0)
        // Resource revisions are carried (issue 16 item 6), so they are no warning.
        #expect(flannel.resources.map(\.description) == ["flannel-amd64=302", "flannel-arm64=298", "flannel-s390x=285"])
        #expect(!warnings.contains { $0.keyPath == "services.flannel.resources" })
    }

    static let handWritten = """
        name: tricky
        variables:
          port: &port 8080
        machines:
          "0": {constraints: "cores=1.5 mem=1.5G arch=amd64"}
          1:
          "2": {series: jammy, annotations: {x: 1}}
        applications:
          lxd:
            charm: ch:lxd
            num_units: 2
            to: [0, "1"]
          web:
            charm: ./charms/web
            num_units: 3
            options:
              port: *port
              name: "yes"
              nested: {a: 1}
            to: [lxd]
          db:
            charm: postgresql
            channel: 14/stable
            num_units: 3
            to: ["lxd:2", "web/0", new]
          cache:
            charm: memcached
            num_units: 2
            to: lxd:db/0
          worker:
            charm: worker
            num_units: 2
          sub:
            charm: ntp
            to: [0]
        relations:
          - [web:db, db:db]
          - [sub, [web, db]]
          - [web, offer:x]
        """

    @Test("every placement form, anchors, and an application named `lxd`")
    func handWrittenBundle() throws {
        let (inventory, text, warnings) = try Self.importAndLoad(Self.handWritten, file: "t.yaml", name: "t", localCharms: ["charms/web"])
        let apps = Dictionary(uniqueKeysWithValues: inventory.juju.applications.map { ($0.name, $0) })
        #expect(apps["lxd"]?.placements == [.machine(instanceName: "t-m0-1"), .machine(instanceName: "t-m1-1")])
        // `to: [lxd]` names the application `lxd`: unit i goes with lxd/i; lxd has no unit 2.
        #expect(apps["web"]?.placements == ["t-m0-1", "t-m1-1", "t-web-1"].map { .machine(instanceName: $0) })
        #expect(apps["web"]?.charm.hasSuffix("/charms/web") == true)
        #expect(text.contains("./charms/web"))
        #expect(apps["web"]?.config.map(\.description) == ["port=8080", "name=yes"])
        #expect(apps["db"]?.placements == [.lxdContainer(onInstance: "t-m2-1"), .machine(instanceName: "t-m0-1"),
                                           .machine(instanceName: "t-db-1")])
        #expect(apps["cache"]?.placements == [.lxdContainer(onInstance: "t-m2-1"), .lxdContainer(onInstance: "t-m2-1")])
        #expect(apps["worker"]?.placements == [.machine(instanceName: "t-worker-1"), .machine(instanceName: "t-worker-2")])
        #expect(apps["sub"]?.numUnits == 0)
        #expect(inventory.machine(named: "t-m0-1")?.cpu == 2)
        #expect(inventory.machine(named: "t-m0-1")?.memory == "1536MiB")
        #expect(inventory.machine(named: "t-m2-1")?.nesting == true)
        #expect(inventory.juju.relations.map(\.description) == ["web:db db:db", "sub web", "sub db"])
        #expect(text.contains("      name: \"yes\"\n"))
        let keyPaths = Set(warnings.map(\.keyPath))
        #expect(keyPaths.isSuperset(of: [
            "machines.0.constraints", "machines.2.series", "applications.web.options.nested",
            "applications.sub.to", "relations[2]",
        ]))
    }

    @Test("a flat relations pair is one relation")
    func flatRelationPair() throws {
        let yaml = """
            applications:
              a: {charm: a, num_units: 1}
              b: {charm: b, num_units: 1}
            relations: [a:x, b:y]
            """
        let (inventory, _, _) = try Self.importAndLoad(yaml)
        #expect(inventory.juju.relations.map(\.description) == ["a:x b:y"])
    }

    @Test("what is not a machine bundle is refused with a reason")
    func refusals() {
        #expect(throws: BundleImportError.self) {
            try BundleImporter.importBundle(yaml: "machines: {}\n", file: "x.yaml", environmentName: "x")
        }
        #expect(throws: BundleImportError.self) {
            try BundleImporter.importBundle(yaml: "bundle: kubernetes\napplications: {}\n", file: "x.yaml", environmentName: "x")
        }
        #expect(throws: BundleImportError.self) {
            try BundleImporter.importBundle(yaml: "applications: [\n", file: "x.yaml", environmentName: "x")
        }
        #expect(throws: BundleImportError.self) {
            try BundleImporter.importBundle(yaml: "", file: "x.yaml", environmentName: "x")
        }
    }

    @Test("--map-machines text")
    func machineMap() throws {
        #expect(BundleImporter.machineMap(["10": "12", "0": "3", "2": "5", "1": "4"]) == "existing,0=3,1=4,2=5,10=12")
        #expect(BundleImporter.bundleMachineID(ofInventoryMachine: "m7") == "7")
        #expect(BundleImporter.bundleMachineID(ofInventoryMachine: "etcd") == nil)
        let (inventory, _, _) = try Self.importAndLoad(try InventoryFixtures.bundle("ceph-base-jammy-quincy.yaml"), name: "ceph")
        let ids = ["ceph-m0-1": "5", "ceph-m1-1": "6", "ceph-m2-1": "7"]
        #expect(BundleImporter.machineMap(inventory: inventory, jujuMachineIDs: ids) == "existing,0=5,1=6,2=7")
    }

    @Test("environment names suggested from the bundle")
    func suggestedNames() {
        #expect(BundleImporter.suggestedEnvironmentName(yaml: "name: openstack-base\n", file: "b.yaml") == "openstack-base")
        #expect(BundleImporter.suggestedEnvironmentName(yaml: "applications: {}\n", file: "/x/kubernetes_core/bundle.yaml") == "kubernetes-core")
        #expect(BundleImporter.suggestedEnvironmentName(yaml: "name: 3D Stack!\n", file: "b.yaml") == "d-stack")
    }
}
