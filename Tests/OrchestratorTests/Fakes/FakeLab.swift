import Foundation
@testable import Gold
@testable import Inventory
@testable import Orchestrator
@testable import SSHKit

/// An orchestrator wired to in-memory LXD, juju and sshd, with its state in a temporary
/// directory: a standalone LXD holding the gold `gold` with snapshot `snap1` (no machine-id, no
/// host keys), whose clones generate an ed25519 host key on first boot and run sshd on their
/// address with that key.
struct FakeLab {
    let lxd = FakeLXD()
    let controller = FakeJujuController()
    let shells = FakeShells()
    let directory: String
    /// The key juju's ssh logs in with, installed by every `up`.
    static let jujuKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJuJuKeyJuJuKeyJuJuKeyJuJuKeyJuJuKeyJuJuKeyJu juju-client-key"

    init() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("goldfleet-fake-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "fake-password\n".write(toFile: directory + "/password", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: directory + "/password")

        await lxd.put(FakeLXD.Instance(name: "gold", config: [GoldTags.gold: "true"], files: [
            "/etc/machine-id": .file([]),
            "/etc/ssh/sshd_config": .file(Array("PasswordAuthentication yes\n".utf8)),
        ]))
        try await lxd.takeSnapshot(of: "gold", as: "snap1")
        let shells = self.shells
        await lxd.onFirstBoot { _, ipv4 in
            let key = SSHHostKey.random()
            shells.listen(ipv4, keys: [key]) { command in
                // The pipeline's verify step ends by printing $HOME.
                SSHExecResult(exitStatus: 0, stdoutBytes: command.contains("\"$HOME\"") ? Array("/home/ubuntu".utf8) : [], stderrBytes: [])
            }
            return ["/etc/ssh/ssh_host_ed25519_key.pub": .file(Array((key.openSSHLine + " root@clone\n").utf8))]
        }
    }

    var state: StateDirectory { StateDirectory(root: directory + "/state") }

    func juju(model: String = "demo") -> FakeJuju { FakeJuju(controller: controller, model: model) }

    func orchestrator(model: String = "demo", parallel: Int = 4) -> Orchestrator {
        let options = Orchestrator.Options(
            parallel: parallel, addressTimeout: .seconds(5), sshDeadline: .seconds(5), commandTimeout: .seconds(5),
            jujuPublicKeys: [Self.jujuKey])
        return Orchestrator(lxd: lxd, juju: juju(model: model), shells: shells, state: state, options: options)
    }

    /// Writes the inventory to `name` in the lab's directory (ownership is by file path) and loads it.
    func inventory(_ yaml: String, file name: String = "demo.yaml") throws -> Inventory {
        let path = directory + "/" + name
        let text = yaml + "\nssh:\n  password: {file: \(directory)/password}\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try InventoryLoader.load(contentsOf: path)
    }

    /// An instance of `demo` that another inventory file (`/elsewhere/demo.yaml`) made.
    func putForeignInventoryInstance(_ name: String = "demo-db-1", status: String = "Running") async {
        await lxd.put(FakeLXD.Instance(name: name, status: status, config: [
            InstanceTags.managedBy: InstanceTags.managedByValue, InstanceTags.environment: "demo",
            InstanceTags.inventory: "/elsewhere/demo.yaml"]))
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

extension SSHHostKey {
    /// A well-formed ed25519 public key with random key bytes.
    static func random() -> SSHHostKey {
        func string(_ bytes: [UInt8]) -> [UInt8] {
            let count = UInt32(bytes.count)
            return [UInt8(count >> 24), UInt8(count >> 16 & 0xff), UInt8(count >> 8 & 0xff), UInt8(count & 0xff)] + bytes
        }
        let blob = string(Array("ssh-ed25519".utf8)) + string((0..<32).map { _ in UInt8.random(in: 0...255) })
        return SSHHostKey(type: "ssh-ed25519", keyData: blob)
    }
}
