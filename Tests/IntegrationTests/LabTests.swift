import Foundation
import Testing

@Suite("The LXD lab", .integrationLane)
struct LabTests {
    @Test("a clone of the gold snapshot boots and gets an IPv4 on the lab bridge")
    func cloneGetsAddress() async throws {
        try await withLabContainers("lab") { containers in
            let address = try #require(containers.first?.ipv4)
            #expect(address.hasPrefix("10.213.73."))
        }
    }
}
