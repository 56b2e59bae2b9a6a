import Foundation
import TestSupport
import Testing
@testable import Inventory

/// Inventory values that would reach further than they should: into a program's options, out of
/// the home directory, into LXD URLs, or into thousands of machines.
@Suite("Hostile inventory values")
struct HostileInventoryTests {
    static func errors(_ yaml: String, base: String = "/tmp") -> [String] {
        InventoryLoader.validate(yaml: yaml, file: "h.yaml", baseDirectory: base).1.errors.map(\.description)
    }

    static let head = "name: demo\nmachines: {web: {}}\n"

    // MARK: Option injection (item 7)

    @Test("a charm that starts with `-` is refused, located, with the rule and the fix")
    func optionLikeCharm() {
        let yaml = Self.head + "juju:\n  applications:\n    app:\n      charm: --dry-run\n      to: [web]\n"
        #expect(Self.errors(yaml) == [
            "h.yaml:6:14: error: juju.applications.app.charm: charm `--dry-run` must not start with `-` (a program would read it as an option) — hint: write the charm's name (e.g. `postgresql`), or a local charm as a path starting with `./`"
        ])
    }

    @Test("channels and bases that start with `-` are refused")
    func optionLikeChannelAndBase() {
        let yaml = Self.head + "juju:\n  applications:\n    app:\n      charm: pg\n      channel: -x\n      base: --force\n      to: [web]\n"
        #expect(Self.errors(yaml) == [
            "h.yaml:7:16: error: juju.applications.app.channel: channel `-x` must not start with `-` (a program would read it as an option) — hint: write a channel such as `latest/stable` or `14/edge`",
            "h.yaml:8:13: error: juju.applications.app.base: base `--force` must not start with `-` (a program would read it as an option) — hint: write a base such as `ubuntu@22.04`",
        ])
    }

    @Test("config keys that read as options or hold `=` are refused, in model_config and in application config")
    func configKeys() {
        let yaml = Self.head + "juju:\n  model_config:\n    --force: x\n    a=b: c\n  applications:\n    app:\n      charm: pg\n      config: {-x: 1}\n      to: [web]\n"
        #expect(Self.errors(yaml) == [
            "h.yaml:5:5: error: juju.model_config.--force: config key `--force` must not start with `-` (a program would read it as an option) — hint: write the key as the charm or model defines it, e.g. `enable-os-upgrade`",
            "h.yaml:6:5: error: juju.model_config.a=b: config key `a=b` must be a non-empty name without `=`, spaces or control characters (juju reads `KEY=VALUE`) — hint: write the key as the charm or model defines it, e.g. `enable-os-upgrade`",
            "h.yaml:10:16: error: juju.applications.app.config.-x: config key `-x` must not start with `-` (a program would read it as an option) — hint: write the key as the charm or model defines it, e.g. `enable-os-upgrade`",
        ])
    }

    @Test("an ssh user that starts with `-` is refused")
    func optionLikeUser() {
        let yaml = Self.head + "ssh: {user: -oProxyCommand=x}\n"
        #expect(Self.errors(yaml) == [
            "h.yaml:3:13: error: ssh.user: user `-oProxyCommand=x` must not start with `-` (a program would read it as an option) — hint: write the login name of the machines' user, e.g. `user: ubuntu`"
        ])
    }

    @Test("the shared rule is the one stated")
    func ruleText() {
        #expect(CommandLineSafety.isOptionLike("-x"))
        #expect(!CommandLineSafety.isOptionLike("x-"))
        #expect(CommandLineSafety.rule == "must not start with `-` (a program would read it as an option)")
    }

    // MARK: NUL in the password (item 6)

    @Test("an inline password with a NUL is refused without showing it")
    func inlineNUL() {
        let yaml = Self.head + "ssh:\n  password: \"abc\\0secret\"\n"
        let errors = Self.errors(yaml)
        #expect(errors == [
            "h.yaml:4:13: error: ssh.password: the password contains a NUL character, which SSH cannot send — hint: remove the NUL character: an SSH password is text that ends at NUL, so the rest would be lost (or worse, bytes after it sent)"
        ])
        #expect(!errors.joined().contains("secret"))
    }

    @Test("a password file with a NUL is refused at validate, located at `file:`")
    func fileNUL() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/password"
        try Data("abc\u{0}secret\n".utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o600)
        let yaml = Self.head + "ssh:\n  password: {file: password}\n"
        let errors = Self.errors(yaml, base: directory.path)
        #expect(errors == [
            "h.yaml:4:20: error: ssh.password.file: the password in `\(path)` contains a NUL character, which SSH cannot send — hint: remove the NUL character: an SSH password is text that ends at NUL, so the rest would be lost (or worse, bytes after it sent)"
        ])
        #expect(throws: PasswordResolver.Missing.self) { try PasswordResolver.resolve(.file(path)) }
    }

    // MARK: Reach (item 8)

    @Test("wheelhouse destinations outside the user's home, or the home itself, are refused", arguments: [
        ("/", "destination `/` is the root directory"),
        ("../../etc", "destination `../../etc` `..` is not allowed in the destination (it could leave the directory it names)"),
        ("~/../x", "destination `~/../x` `..` is not allowed in the destination (it could leave the directory it names)"),
        ("~", "destination `~` is the home directory itself; the sync manages the whole destination"),
        ("/etc/wheels", "destination `/etc/wheels` is inside the system directory `/etc`"),
        ("/usr", "destination `/usr` is a top-level directory"),
        ("/home/ubuntu", "destination `/home/ubuntu` is a home directory itself; the sync manages the whole destination"),
        ("~root/w", "destination `~root/w` `~root` is another user's home; goldfleet logs in as `ubuntu`"),
    ])
    func wheelhouseRemote(remote: String, message: String) throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path + "/w", withIntermediateDirectories: true)
        let yaml = Self.head + "wheelhouse: {path: w, remote: '\(remote)'}\n"
        let errors = Self.errors(yaml, base: directory.path)
        #expect(errors.count == 1)
        #expect(errors.first?.contains("wheelhouse.remote: \(message)") == true, "\(errors)")
    }

    @Test("wheelhouse destinations under the home or clearly chosen are accepted", arguments: [
        "wheelhouse", "~/wheelhouse", "~ubuntu/wheels/py3", "/opt/wheelhouse", "/srv/goldfleet/wheels",
    ])
    func wheelhouseRemoteAccepted(remote: String) throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path + "/w", withIntermediateDirectories: true)
        let yaml = Self.head + "wheelhouse: {path: w, remote: '\(remote)'}\n"
        #expect(Self.errors(yaml, base: directory.path) == [])
    }

    @Test("LXD names are checked against LXD's rules", arguments: [
        ("gold: '../snap1'", "gold instance name `..` is not a valid LXD instance name"),
        ("gold: 'gold?x=1/snap1'", "gold instance name `gold?x=1` is not a valid LXD instance name"),
        ("gold: 'gold/snap 1'", "gold snapshot name `snap 1` is not a valid LXD snapshot name"),
        ("gold: 'gold/..'", "gold snapshot name `..` is not a valid LXD snapshot name"),
        ("gold: {image: 'a/../b'}", "image alias `a/../b` has an empty, `.` or `..` part between slashes"),
        ("gold: {image: 'a?b'}", "image alias `a?b` contains `?`"),
        ("lxd: {pool: '../default'}", "storage pool name `../default` contains `/`"),
        ("lxd: {pool: 'a&b'}", "storage pool name `a&b` contains `&`"),
        ("lxd: {profiles: [default, '../x']}", "profile name `../x` contains `/`"),
    ])
    func lxdNames(line: String, message: String) {
        let errors = Self.errors(Self.head + line + "\n")
        #expect(errors.count == 1)
        #expect(errors.first?.contains(message) == true, "\(errors)")
    }

    @Test("a cluster target with URL characters is refused")
    func target() {
        let errors = Self.errors("name: demo\nmachines:\n  web: {target: 'm1&recursion=1'}\n")
        #expect(errors == [
            "h.yaml:3:17: error: machines.web.target: cluster member name `m1&recursion=1` contains `&`; only ASCII letters, digits and `-`, `_`, `.` are allowed — hint: use a name `lxc cluster list` shows"
        ])
    }

    @Test("valid LXD names pass")
    func validNames() throws {
        let yaml = "name: demo\ngold: {image: goldfleet/base/bookworm}\nlxd: {pool: my_pool.1, profiles: [default, juju-x]}\nmachines:\n  web: {target: node-1.lab}\n"
        let inventory = try InventoryLoader.load(yaml: yaml, file: "v.yaml", baseDirectory: "/tmp")
        #expect(inventory.lxd.pool == "my_pool.1")
    }

    @Test("placements that would expand into millions of units stop at the limit, reported once")
    func tooManyUnits() {
        var yaml = "name: demo\nmachines: {web: {count: 1000}}\njuju:\n  applications:\n"
        for index in 0..<5000 { yaml += "    a\(index): {charm: c, to: [web]}\n" }
        let clock = ContinuousClock()
        var errors: [String] = []
        let elapsed = clock.measure { errors = Self.errors(yaml) }
        #expect(errors == [
            "h.yaml:15:26: error: juju.applications.a10.to[0]: the applications place more than 10000 units in all; goldfleet deploys at most that many — hint: a machine name in `to:` places one unit on each of its instances; check `to:` and `num_units`"
        ])
        #expect(elapsed < .seconds(10))
    }

    @Test("200 machines of 1000 each are refused fast, naming the limit and the total")
    func totalMachines() {
        var yaml = "name: demo\nmachines:\n"
        for index in 0..<200 { yaml += "  g\(index): {count: 1000}\n" }
        let clock = ContinuousClock()
        var errors: [String] = []
        let elapsed = clock.measure { errors = Self.errors(yaml) }
        #expect(errors == [
            "h.yaml:2:1: error: machines: the machines add up to 200000 instances; goldfleet creates at most 1000 in one environment — hint: lower the counts, or split the machines into several environments (each an inventory with its own `name:`)"
        ])
        #expect(elapsed < .seconds(10))
    }
}
