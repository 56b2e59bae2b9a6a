import Foundation
import TestSupport
@testable import Inventory
@testable import LXDKit

/// Real answers recorded from the lab's LXD 5.0.2 daemon with
/// `curl --unix-socket /var/lib/lxd/unix.socket lxd/1.0/…`.
enum LXDFixture {
    struct Missing: Error, CustomStringConvertible { let description: String }

    static func bytes(_ name: String) throws -> [UInt8] {
        let url = InventoryFixtures.url("lxd/\(name).json")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw Missing(description: "fixture Fixtures/lxd/\(name).json is not in the test bundle")
        }
        return Array(try Data(contentsOf: url))
    }

    static let endpoint = "the LXD socket /var/lib/lxd/unix.socket"

    /// Decodes a recorded sync answer's metadata the way the client does.
    static func metadata<M: Decodable & Sendable>(_ type: M.Type, _ name: String, status: Int = 200) throws -> M? {
        try LXDClient.decode(M.self, status: status, body: bytes(name), action: "testing", endpoint: endpoint).metadata
    }

    /// The error the client makes of a recorded error answer (LXD sends its `error_code` as the HTTP status).
    static func error(_ name: String, action: String = "testing") throws -> LXDError? {
        let body = try bytes(name)
        let status = (try? JSONDecoder().decode(LXDResponse<LXDIgnored>.self, from: Data(body)).errorCode) ?? 500
        do {
            _ = try LXDClient.decode(LXDIgnored.self, status: status, body: body, action: action, endpoint: endpoint)
            return nil
        } catch let error as LXDError {
            return error
        }
    }

    /// The error a recorded finished operation stands for.
    static func operationFailure(_ name: String, action: String = "testing") throws -> LXDError? {
        let operation = try metadata(LXDOperation<LXDIgnored>.self, name)
        return operation?.failure(action: action, endpoint: endpoint)
    }
}
