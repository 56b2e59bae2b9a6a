import Foundation
import Testing
@testable import LXDKit

@Suite("LXD errors become typed, user-facing errors")
struct LXDErrorDecodingTests {
    @Test("error bodies from recorded answers", arguments: [
        ("error-not-found", LXDError.Kind.notFound, "Instance not found"),
        ("error-missing-snapshot", .notFound, "InstanceSnapshot not found"),
        ("error-missing-alias", .imageAliasMissing, "Image alias not found"),
        ("error-pool-not-found", .storagePoolMissing, "Storage pool not found"),
        ("error-disk-full", .diskFull, "disk quota exceeded"),
        ("error-no-space", .diskFull, "no space left on device"),
        ("error-operation-not-found", .notFound, "Operation not found"),
        ("error-missing-profile", .notFound, "Requested profile"),
        ("error-not-running", .notRunning, "Instance is not running"),
    ])
    func errorBodies(fixture: String, kind: LXDError.Kind, text: String) throws {
        let error = try #require(try LXDFixture.error(fixture, action: "creating instance gft-x"))
        #expect(error.kind == kind)
        #expect(error.lxdMessage?.contains(text) == true)
        #expect(error.message.hasPrefix("creating instance gft-x failed on the LXD socket /var/lib/lxd/unix.socket: "))
        #expect(error.message.contains(text))
        #expect(error.hint != nil)
    }

    @Test("failed background operations carry LXD's own message", arguments: [
        ("op-wait-failure-already-exists", LXDError.Kind.alreadyExists, "This \"instances\" entry already exists"),
        ("op-wait-failure-missing-pool", .storagePoolMissing, "Storage pool not found"),
        ("op-wait-failure-snapshot-exists", .alreadyExists, "already exists"),
        ("op-wait-failure-restore-missing", .notFound, "Snapshot gft-lxd-rec1/nosnap does not exist"),
    ])
    func failedOperations(fixture: String, kind: LXDError.Kind, text: String) throws {
        let error = try #require(try LXDFixture.operationFailure(fixture))
        #expect(error.kind == kind)
        #expect(error.lxdMessage?.contains(text) == true)
        #expect(error.statusCode == 400)
    }

    @Test("hints name the fix for each case")
    func hints() {
        func hint(_ kind: LXDError.Kind) -> String {
            LXDError(kind: kind, action: "a", endpoint: "e").hint ?? ""
        }
        #expect(hint(.storagePoolMissing).contains("lxc storage list"))
        #expect(hint(.imageAliasMissing).contains("lxc image alias list"))
        #expect(hint(.diskFull).contains("lxc storage info"))
        #expect(hint(.alreadyExists).contains("another name"))
        #expect(hint(.daemonUnavailable).contains("daemon running"))
        #expect(hint(.forbidden).contains("lxc config trust add"))
        #expect(hint(.certificateRejected).contains("server.crt"))
        #expect(hint(.serverCertificateMismatch).contains("lxc info | grep certificate_fingerprint"))
    }

    @Test("classification of LXD's texts", arguments: [
        ("Failed creating instance record: Failed initialising instance: Failed loading storage pool: Storage pool not found", 400, LXDError.Kind.storagePoolMissing),
        ("Failed creating instance from image: write /var/lib/lxd/x: no space left on device", 400, .diskFull),
        ("Image alias not found", 404, .imageAliasMissing),
        ("Add instance info to the database: This \"instances\" entry already exists", 400, .alreadyExists),
        ("not authorized", 403, .forbidden),
        ("Instance is not running", 400, .notRunning),
        ("Instance is busy running a \"start\" operation", 400, .failed),
    ])
    func classification(text: String, code: Int, kind: LXDError.Kind) {
        #expect(LXDError.kind(forLXDMessage: text, statusCode: code) == kind)
    }

    @Test("an instance busy with another operation is told apart (start waits for it)")
    func busy() {
        let busy = LXDError(kind: .failed, action: "starting instance a", endpoint: "e",
                            lxdMessage: "Failed to create instance start operation: Instance is busy running a \"create\" operation")
        #expect(busy.isInstanceBusy)
        #expect(!LXDError(kind: .notRunning, action: "a", endpoint: "e", lxdMessage: "Instance is not running").isInstanceBusy)
    }

    @Test("the instance missing is told apart from a missing file in it (LXD's two 404 texts)")
    func missingInstance() {
        #expect(LXDError.fromLXD(message: "Instance not found", statusCode: 404, action: "a", endpoint: "e").isInstanceMissing)
        #expect(!LXDError.fromLXD(message: "Not Found", statusCode: 404, action: "a", endpoint: "e").isInstanceMissing)
    }

    @Test("an answer that is not LXD's JSON is an invalid response that quotes it")
    func notJSON() {
        #expect {
            _ = try LXDClient.decode(LXDIgnored.self, status: 200, body: Array("<html>hello</html>".utf8), action: "a", endpoint: "e")
        } throws: { error in
            (error as? LXDError)?.kind == .invalidResponse && "\(error)".contains("<html>hello</html>")
        }
    }

    @Test("an HTTP error without LXD's body still says what came back")
    func bareHTTPError() {
        #expect {
            _ = try LXDClient.decode(LXDIgnored.self, status: 502, body: Array("Bad Gateway".utf8), action: "a", endpoint: "e")
        } throws: { error in
            (error as? LXDError)?.kind == .failed && "\(error)".contains("HTTP 502: Bad Gateway")
        }
    }
}
