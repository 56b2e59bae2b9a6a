import Foundation
import TestSupport
import Testing
@testable import Inventory
@testable import JujuKit
@testable import Orchestrator

@Suite("Plan")
struct PlanTests {
    static let yaml = """
        name: shop
        ssh: {password: {env: SHOP_PASSWORD}}
        machines:
          web: {count: 2, cpu: 2, memory: 2GiB}
          db: {nesting: true}
        juju:
          model_config: {update-status-hook-interval: 1m}
          applications:
            site:
              charm: ./sample
              config: {title: "My shop", debug: yes}
              to: [web]
            pg: {charm: postgresql, channel: 14/stable, revision: 400, base: ubuntu@22.04, to: ["lxd:db"]}
            ntp: {charm: ntp, num_units: 0}
          relations:
            - [site:db, pg:database]
            - [ntp, site]
        """

    /// `site` deploys the repository's sample charm, a local charm that exists (validate checks).
    static let baseDirectory = InventoryFixtures.repositoryRoot.appendingPathComponent("charms").path
    static let siteCharm = baseDirectory + "/sample"

    static func plan() throws -> Plan {
        Plan.make(for: try InventoryLoader.load(yaml: yaml, file: "shop.yaml", baseDirectory: baseDirectory))
    }

    @Test("juju actions carry exactly the commands up runs, in order")
    func jujuArguments() throws {
        let ids = ["shop-web-1": "0", "shop-web-2": "1", "shop-db-1": "2"]
        let commands = try Self.plan().jujuActions.map { $0.arguments { ids[$0]! } }
        #expect(commands == [
            ["model-config", "enable-os-refresh-update=false", "enable-os-upgrade=false", "update-status-hook-interval=1m"],
            ["deploy", Self.siteCharm, "site", "-n", "2", "--to", "0,1", "--config", "debug=true", "--config", "title=My shop"],
            ["deploy", "postgresql", "pg", "-n", "1", "--to", "lxd:2", "--channel", "14/stable", "--revision", "400",
             "--base", "ubuntu@22.04"],
            ["deploy", "ntp", "ntp"],
            ["integrate", "site:db", "pg:database"],
            ["integrate", "ntp", "site"],
        ])
        #expect(JujuAction.addUnit(application: "site", placements: [.lxdContainer(onInstance: "shop-db-1")])
            .arguments { ids[$0]! } == ["add-unit", "site", "--to", "lxd:2"])
    }

    @Test("machine steps run from clone to add-machine")
    func machineSteps() throws {
        let plan = try Self.plan()
        #expect(plan.machines.map(\.instanceName) == ["shop-web-1", "shop-web-2", "shop-db-1"])
        let db = try #require(plan.machines.last)
        #expect(db.steps == [
            .create(source: .snapshot(instance: "gold", snapshot: "snap1"), pool: "default", profiles: ["default"],
                    config: [.init("security.nesting", "true"), .init("user.goldfleet.environment", "shop"),
                             .init("user.goldfleet.machine", "db"), .init("user.goldfleet.index", "1")],
                    target: nil),
            .start, .waitForIPv4, .pinHostKey,
            .verifyLogin(user: "ubuntu", password: .environment("SHOP_PASSWORD")),
            .installJujuKeys(user: "ubuntu"),
            .addMachine(user: "ubuntu"),
        ])
        #expect(plan.steps.count == 3 * 7 + 6)
    }

    @Test("the rendered plan reads like the commands")
    func rendered() throws {
        let text = try Self.plan().rendered()
        #expect(text.hasPrefix("Plan for environment `shop` from shop.yaml (nothing is changed by `plan`).\nLXD: local daemon, pool default, profiles default\n"))
        #expect(text.contains("    - copy gold/snap1 → shop-web-1 (pool default, profiles default, limits.cpu=2 limits.memory=2GiB user.goldfleet.environment=shop user.goldfleet.machine=web user.goldfleet.index=1)\n"))
        #expect(text.contains("    - log in over SSH as ubuntu (password from environment variable SHOP_PASSWORD) and check sudo\n"))
        #expect(text.contains("    - juju add-machine -m shop ssh:ubuntu@<IPv4 of shop-db-1> (unless juju has a machine for that address)\n"))
        #expect(text.contains("  juju deploy -m shop \(Self.siteCharm) site -n 2 --to <machine of shop-web-1>,<machine of shop-web-2> --config debug=… --config title=…\n"))
        #expect(text.contains("  juju deploy -m shop postgresql pg -n 1 --to lxd:<machine of shop-db-1> --channel 14/stable --revision 400 --base ubuntu@22.04\n"))
        // The drift section (live state, not read here) follows the juju commands.
        #expect(text.hasSuffix("  juju integrate -m shop site:db pg:database\n      # unless juju already relates the two\n  juju integrate -m shop ntp site\n      # unless juju already relates the two\n\nDrift: not read (the live LXD and juju state were not asked).\n"))
    }
}
