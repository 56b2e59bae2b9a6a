import Foundation
import TestSupport
import Testing
@testable import GoldfleetSupport
@testable import Inventory
@testable import JujuKit
@testable import Orchestrator

/// Paths that are not inventories, input that would act on the terminal, secrets in `plan`, and
/// secret files others can read (item 13 of issue 15).
@Suite("Inventory input")
struct InventoryInputTests {
    static func validatePath(_ path: String) -> [String] {
        InventoryLoader.validate(path: path).1.map(\.description)
    }

    @Test("a directory is named as one")
    func directory() throws {
        let directory = try TemporaryDirectory()
        #expect(Self.validatePath(directory.path) == [
            "\(directory.path): error: it is a directory — hint: name a regular YAML file"
        ])
    }

    @Test("a FIFO is named, not waited on")
    func fifo() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/inventory.yaml"
        #expect(mkfifo(path, 0o600) == 0)
        #expect(Self.validatePath(path) == [
            "\(path): error: it is a named pipe (FIFO) — hint: name a regular YAML file"
        ])
    }

    @Test("/dev/zero is named, not read without end")
    func devZero() {
        #expect(Self.validatePath("/dev/zero") == [
            "/dev/zero: error: it is a character device — hint: name a regular YAML file"
        ])
    }

    @Test("a file that is not UTF-8 is named with the offset of the first bad byte")
    func notUTF8() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/latin1.yaml"
        try Data([0x6E, 0x61, 0x6D, 0x65, 0x3A, 0x0A, 0x20, 0x20, 0xE9, 0x0A]).write(to: URL(fileURLWithPath: path))
        #expect(Self.validatePath(path) == [
            "\(path): error: it is not UTF-8 text (invalid byte at offset 8) — hint: save it as UTF-8"
        ])
    }

    @Test("terminal escape sequences in values are escaped in diagnostics")
    func escapes() {
        let yaml = "name: demo\nmachines: {web: {}}\nlxd: {spread: \"\\e[2J\\e]0;owned\\u0007\\r\\u202Eok\"}\n"
        let text = InventoryLoader.validate(yaml: yaml, file: "e.yaml", baseDirectory: "/tmp").1.map(\.description).joined()
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0 == "\r" || $0.value == 0x202E })
        #expect(text.contains("\\u{1B}[2J\\u{1B}]0;owned\\u{7}\\r\\u{202E}ok"))
    }

    @Test("the escaping is idempotent and leaves ordinary text alone")
    func escapingRule() {
        #expect(DiagnosticText.escaped("web-1: `ok` ü 😀") == "web-1: `ok` ü 😀")
        let once = DiagnosticText.escaped("a\u{1B}b\nc\u{9B}")
        #expect(once == "a\\u{1B}b\\nc\\u{9B}")
        #expect(DiagnosticText.escaped(once) == once)
    }

    @Test("plan hides config values by the same rule as juju errors")
    func planRedaction() throws {
        let yaml = """
            name: shop
            machines: {web: {}}
            juju:
              model_config: {apt-http-proxy: "http://user:s3cret@proxy"}
              applications:
                site: {charm: site, config: {api-token: t0ken}, to: [web]}
            """
        let inventory = try InventoryLoader.load(yaml: yaml, file: "p.yaml", baseDirectory: "/tmp")
        let text = Plan.make(for: inventory).rendered()
        #expect(!text.contains("s3cret"))
        #expect(!text.contains("t0ken"))
        #expect(text.contains("juju model-config -m shop enable-os-refresh-update=… enable-os-upgrade=… apt-http-proxy=…"))
        #expect(text.contains("--config api-token=…"))
        let command = Command("juju", JujuAction.deploy(inventory.juju.applications[0]).arguments { _ in "0" })
        #expect(JujuError.redacted(command).contains("--config api-token=…"))
    }

    @Test("a password file or client key others can read gets a warning with its mode and the chmod fix")
    func secretModes() throws {
        let directory = try TemporaryDirectory()
        let password = directory.path + "/password", key = directory.path + "/client.key", cert = directory.path + "/client.crt"
        for path in [password, key, cert] { try Data("x\n".utf8).write(to: URL(fileURLWithPath: path)) }
        chmod(password, 0o644)
        chmod(key, 0o640)
        let yaml = """
            name: demo
            machines: {web: {}}
            ssh: {password: {file: password}}
            lxd: {url: "https://10.0.0.5:8443", client_cert: client.crt, client_key: client.key, server_fingerprint: "\(String(repeating: "ab", count: 32))"}
            """
        let warnings = InventoryLoader.validate(yaml: yaml, file: "m.yaml", baseDirectory: directory.path).1.warnings.map(\.description)
        #expect(warnings.contains("m.yaml:3:24: warning: ssh.password.file: password file `\(password)` has mode 0644: other users can read it — hint: make it private to its owner: `chmod 600 \(password)`"))
        #expect(warnings.contains("m.yaml:4:74: warning: lxd.client_key: client key `\(key)` has mode 0640: members of its group can read it — hint: make it private to its owner: `chmod 600 \(key)`"))
        chmod(password, 0o600)
        chmod(key, 0o600)
        #expect(InventoryLoader.validate(yaml: yaml, file: "m.yaml", baseDirectory: directory.path).1.warnings.isEmpty)
    }
}
