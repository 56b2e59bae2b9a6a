import Foundation
import TestSupport
import Testing
@testable import JujuKit

/// The same manual model as juju 2.9 and juju 3.6 print it (fixtures built from each line's
/// source; see Fixtures/juju/2.9/SOURCES.md and 3.6/SOURCES.md).
@Suite("Juju driver: `status` and `machines` of juju 2.9 and 3.6")
struct JujuStatusVersionsTests {
    @Test("both lines decode to the same facts", arguments: ["2.9", "3.6"])
    func sameModel(line: String) throws {
        let status = try JujuStatus.parse(try JujuFixtures.text("\(line)/status-manual-subordinate.json"))
        #expect(status.modelName == "gf")
        #expect(status.machines.map(\.id) == ["0", "1"])
        #expect(status.machines.allSatisfy { $0.isManual })
        #expect(status.machines.first?.matches(host: "10.20.0.11") == true)
        #expect(status.applications.map(\.name) == ["ntp", "ubuntu"])
        let ubuntu = try #require(status.application("ubuntu"))
        #expect(ubuntu.relations == ["juju-info": ["ntp"]])
        #expect(ubuntu.units.map(\.name) == ["ubuntu/0", "ubuntu/1"])
        #expect(ubuntu.units.map(\.machine) == ["0", "1"])
        #expect(ubuntu.units.first?.subordinates.map(\.name) == ["ntp/0"])
        let ntp = try #require(status.application("ntp"))
        #expect(ntp.subordinateTo == ["ubuntu"])
        #expect(ntp.relatedApplications == ["ubuntu", "ntp"])
        #expect(ntp.units.isEmpty)
    }

    @Test("2.9 names the OS by series, 3.6 by base")
    func seriesAndBase() throws {
        let old = try JujuStatus.parse(try JujuFixtures.text("2.9/status-manual-subordinate.json"))
        #expect(old.jujuVersion == "2.9.21")
        #expect(old.machines.first?.series == "focal")
        #expect(old.machines.first?.base == nil)
        let new = try JujuStatus.parse(try JujuFixtures.text("3.6/status-manual-subordinate.json"))
        #expect(new.jujuVersion == "3.6.28")
        #expect(new.machines.first?.base == JujuBase(name: "ubuntu", channel: "22.04"))
        #expect(new.application("ubuntu")?.base == JujuBase(name: "ubuntu", channel: "22.04"))
    }

    @Test("2.9 `machines --format=json` with a machine the manual provider could not start")
    func machinesWithProvisioningError() throws {
        let machines = try JujuMachine.parseList(try JujuFixtures.text("2.9/machines.json"))
        #expect(machines.map(\.id) == ["0", "2"])
        #expect(machines[1].machineStatus?.current == "provisioning error")
        #expect(machines[1].machineStatus?.message == "manual provider cannot start instances")
        #expect(machines[1].jujuStatus?.current == "pending")
    }

    /// Fields goldfleet does not read never break the read, whatever their shape.
    @Test("unknown fields and changed shapes elsewhere are ignored")
    func toleratesChangedShapes() throws {
        let json = #"""
        {"model":{"name":"gf","version":"4.0.1","new-thing":[1,2]},
         "machines":{"0":{"instance-id":"manual:10.0.0.5","base":"ubuntu@24.04","hardware":{"arch":"amd64"},
                          "ip-addresses":["10.0.0.5"],"juju-status":{"current":"started","since":7}}},
         "applications":{"a":{"charm-rev":"12","base":"ubuntu@24.04","exposed":"no",
                              "relations":{"juju-info":[{"interface":"juju-info"},{"related-application":"b"},"c"]},
                              "units":{"a/0":{"machine":"0","leader":"yes","subordinates":[]}}}},
         "storage":[],"controller":"x"}
        """#
        let status = try JujuStatus.parse(json)
        #expect(status.machines.first?.isManual == true)
        #expect(status.machines.first?.ipAddresses == ["10.0.0.5"])
        #expect(status.machines.first?.jujuStatus?.current == "started")
        let a = try #require(status.application("a"))
        #expect(a.relations == ["juju-info": ["b", "c"]])
        #expect(a.units.first?.machine == "0")
    }
}
