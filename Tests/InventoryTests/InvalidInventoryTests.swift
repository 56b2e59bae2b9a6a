import Foundation
import TestSupport
import Testing
@testable import Inventory

/// One bad inventory and exactly what `goldfleet validate` must say about it.
struct InvalidInventoryCase: CustomTestStringConvertible, Sendable {
    var name: String
    var yaml: String
    /// The full text of every error, in order (warnings are ignored here).
    var errors: [String]

    var testDescription: String { name }
}

@Suite("Inventory validation errors")
struct InvalidInventoryTests {
    static let sixtyCharacters = String(repeating: "a", count: 60)

    static let cases: [InvalidInventoryCase] = [
        .init(name: "empty file", yaml: "", errors: [
            "bad.yaml: error: the inventory is empty — hint: start from inventory/demo.yaml; at least `name:` and `machines:` are needed",
        ]),
        .init(name: "only a comment", yaml: "# nothing here\n", errors: [
            "bad.yaml: error: the inventory is empty — hint: start from inventory/demo.yaml; at least `name:` and `machines:` are needed",
        ]),
        .init(name: "YAML syntax error", yaml: "name: demo\nmachines:\n  web: {count: 2\n", errors: [
            "bad.yaml:4:1: error: YAML syntax error: did not find expected ',' or '}' (while parsing a flow mapping at line 3, column 8) — hint: check the indentation and quoting around this spot (values containing `: ` or `#` need quotes)",
        ]),
        .init(name: "bad indentation", yaml: "name: demo\nmachines:\n  web:\n    count: 2\n   cpu: 1\n", errors: [
            "bad.yaml:5:4: error: YAML syntax error: did not find expected key (while parsing a block mapping at line 3, column 3) — hint: check the indentation and quoting around this spot (values containing `: ` or `#` need quotes)",
        ]),
        .init(name: "duplicate YAML key", yaml: "name: demo\nmachines:\n  web: {}\n  web: {count: 2}\n", errors: [
            "bad.yaml:4:3: error: duplicate key `web` (first at line 3) — hint: a key may appear only once per mapping; merge the entries or rename one",
        ]),
        .init(name: "top level is a list", yaml: "- name: demo\n", errors: [
            "bad.yaml:1:1: error: expected a mapping of settings (name:, machines:, …), got a list — hint: an inventory starts with keys such as `name:` and `machines:`",
        ]),
        .init(name: "missing name and machines", yaml: "gold: gold/snap1\n", errors: [
            "bad.yaml:1:1: error: name: missing required key `name` — hint: add `name: demo`; it prefixes every instance name and is the default model name",
            "bad.yaml:1:1: error: machines: missing required key `machines` — hint: add e.g. `machines: {web: {count: 2}}`",
        ]),
        .init(name: "unknown top-level key", yaml: "name: demo\nwheelhous: {path: w}\nmachines: {web: {}}\n", errors: [
            "bad.yaml:2:1: error: wheelhous: unknown key `wheelhous` — hint: did you mean `wheelhouse`?",
        ]),
        .init(name: "unknown machine key", yaml: "name: demo\nmachines:\n  web:\n    cpus: 2\n", errors: [
            "bad.yaml:4:5: error: machines.web.cpus: unknown key `cpus` — hint: did you mean `cpu`?",
        ]),
        .init(name: "kebab-case key", yaml: "name: demo\nmachines: {web: {}}\njuju:\n  model-config: {}\n", errors: [
            "bad.yaml:4:3: error: juju.model-config: unknown key `model-config` — hint: did you mean `model_config`?",
        ]),
        .init(name: "unknown key with no close match", yaml: "name: demo\nmachines: {web: {}}\nssh: {colour: red}\n", errors: [
            "bad.yaml:3:7: error: ssh.colour: unknown key `colour` — hint: keys allowed in `ssh`: user, password",
        ]),
        .init(name: "count is a word", yaml: "name: demo\nmachines:\n  web:\n    count: two\n", errors: [
            "bad.yaml:4:12: error: machines.web.count: expected an integer ≥ 1, got `two` — hint: a machine needs at least one instance; remove the machine to have none",
        ]),
        .init(name: "count is zero", yaml: "name: demo\nmachines:\n  web:\n    count: 0\n", errors: [
            "bad.yaml:4:12: error: machines.web.count: expected an integer ≥ 1, got 0 — hint: a machine needs at least one instance; remove the machine to have none",
        ]),
        .init(name: "count far too large", yaml: "name: demo\nmachines:\n  web:\n    count: 20000\n", errors: [
            "bad.yaml:4:12: error: machines.web.count: 20000 instances is more than goldfleet creates (at most 1000) — hint: split the environment, or check for a typo",
        ]),
        .init(name: "nesting is not a boolean", yaml: "name: demo\nmachines:\n  web: {nesting: maybe}\n", errors: [
            "bad.yaml:3:18: error: machines.web.nesting: expected true or false, got `maybe`",
        ]),
        .init(name: "machines is a list", yaml: "name: demo\nmachines:\n  - web\n", errors: [
            "bad.yaml:3:3: error: machines: expected a mapping of machine names, got a list — hint: e.g. `machines: {web: {count: 2}, db: {}}`",
        ]),
        .init(name: "no machines", yaml: "name: demo\nmachines: {}\n", errors: [
            "bad.yaml:2:11: error: machines: no machines are defined — hint: add at least one, e.g. `machines: {web: {}}`",
        ]),
        .init(name: "memory without a valid unit", yaml: "name: demo\nmachines:\n  web: {memory: 2 GiB}\n", errors: [
            "bad.yaml:3:17: error: machines.web.memory: expected a memory size, got `2 GiB` — hint: did you mean `2GiB`?",
        ]),
        .init(name: "environment name starts with a digit", yaml: "name: 1demo\nmachines: {web: {}}\n", errors: [
            "bad.yaml:1:7: error: name: environment name `1demo` starts with `1`; it must start with a letter — hint: the name prefixes every LXD instance name; use letters, digits and hyphens, starting with a letter",
        ]),
        .init(name: "environment name with an underscore", yaml: "name: my_env\nmachines: {web: {}}\n", errors: [
            "bad.yaml:1:7: error: name: environment name `my_env` contains `_`; only ASCII letters, digits and hyphens are allowed — hint: the name prefixes every LXD instance name; use letters, digits and hyphens, starting with a letter",
        ]),
        .init(name: "environment name is a number", yaml: "name: 42\nmachines: {web: {}}\n", errors: [
            "bad.yaml:1:7: error: name: expected an environment name, got 42 — hint: use letters, digits and hyphens, e.g. `name: demo`",
        ]),
        .init(name: "uppercase name as the model name", yaml: "name: Demo\nmachines: {web: {}}\n", errors: [
            "bad.yaml:1:7: error: name: `Demo` is not a valid juju model name (the model defaults to the environment name) — hint: use a lowercase `name:`, or set `juju: {model: demo}`",
        ]),
        .init(name: "generated instance name too long",
              yaml: "name: \(sixtyCharacters)\nmachines:\n  web: {}\n", errors: [
            "bad.yaml:3:3: error: machines.web: generated instance name `\(sixtyCharacters)-web-1` is 66 characters; LXD allows at most 63 — hint: names are `<name>-<machine>-<n>`; shorten `name` (60 characters) or the machine name `web`",
        ]),
        .init(name: "machine name with a dot", yaml: "name: demo\nmachines:\n  web.1: {}\n", errors: [
            "bad.yaml:3:3: error: machines.web.1: generated instance name `demo-web.1-1` contains `.`; only ASCII letters, digits and hyphens are allowed — hint: machine names may use letters, digits and hyphens",
        ]),
        .init(name: "two machines generate the same instance name",
              yaml: "name: demo\nmachines:\n  Web: {}\n  web: {}\n", errors: [
            "bad.yaml:4:3: error: machines.web: instance name `demo-web-1` is also generated by machine `Web` — hint: instance names are hostnames and ignore case; rename one of the machines",
        ]),
        .init(name: "gold without a snapshot", yaml: "name: demo\ngold: gold\nmachines: {web: {}}\n", errors: [
            "bad.yaml:2:7: error: gold: expected INSTANCE/SNAPSHOT, got `gold` — hint: write `gold: gold/snap1` (INSTANCE/SNAPSHOT), `gold: {snapshot: gold/snap1}` or `gold: {image: ALIAS}`",
        ]),
        .init(name: "gold with both forms", yaml: "name: demo\ngold: {snapshot: gold/snap1, image: x}\nmachines: {web: {}}\n", errors: [
            "bad.yaml:2:7: error: gold: give either `snapshot:` or `image:`, not both — hint: write `gold: gold/snap1` (INSTANCE/SNAPSHOT), `gold: {snapshot: gold/snap1}` or `gold: {image: ALIAS}`",
        ]),
        .init(name: "two LXD endpoints", yaml: "name: demo\nlxd: {socket: /s, remote: r}\nmachines: {web: {}}\n", errors: [
            "bad.yaml:2:19: error: lxd.remote: `socket` and `remote` both say where LXD is — hint: keep one of `socket:`, `remote:` or `url:`",
        ]),
        .init(name: "https endpoint without a client certificate", yaml: "name: demo\nlxd:\n  url: http://h:8443\n  server_fingerprint: c68f10d91028640891e4b7dafe6e1e5dde08f879f576586b75b1bf043c84e08a\nmachines: {web: {}}\n", errors: [
            "bad.yaml:3:3: error: lxd.url: an https endpoint needs `client_cert` and `client_key` — hint: add the paths of a client certificate trusted by that LXD (`lxc config trust add`)",
            "bad.yaml:3:8: error: lxd.url: expected an https:// URL, got `http://h:8443` — hint: LXD's remote API is HTTPS only, e.g. `url: https://10.0.0.5:8443`",
        ]),
        .init(name: "a fingerprint that is not a full SHA-256", yaml: "name: demo\nlxd:\n  url: https://h:8443\n  client_cert: c\n  client_key: k\n  server_fingerprint: ab:cd:ef\nmachines: {web: {}}\n", errors: [
            "bad.yaml:6:23: error: lxd.server_fingerprint: expected the server certificate's full SHA-256 fingerprint (64 hex digits, colons allowed), got `ab:cd:ef` — hint: on the server, `lxc info | grep certificate_fingerprint` shows it (or `openssl x509 -in /var/lib/lxd/server.crt -noout -fingerprint -sha256`; snap: /var/snap/lxd/common/lxd/server.crt)",
        ]),
        .init(name: "an https endpoint with nothing pinned", yaml: "name: demo\nlxd:\n  url: https://h:8443\n  client_cert: c\n  client_key: k\nmachines: {web: {}}\n", errors: [
            "bad.yaml:3:3: error: lxd.url: an https endpoint needs the server's certificate pinned — hint: add `server_fingerprint:` (on the server, `lxc info | grep certificate_fingerprint` shows it (or `openssl x509 -in /var/lib/lxd/server.crt -noout -fingerprint -sha256`; snap: /var/snap/lxd/common/lxd/server.crt)) or `server_cert:` (a copy of its server.crt)",
        ]),
        .init(name: "TLS settings without a URL", yaml: "name: demo\nlxd: {client_cert: c.crt}\nmachines: {web: {}}\n", errors: [
            "bad.yaml:2:7: error: lxd.client_cert: `client_cert` only applies with `url:` — hint: remove it, or add `url: https://HOST:8443`",
        ]),
        .init(name: "unknown spread strategy", yaml: "name: demo\nlxd: {spread: random}\nmachines: {web: {}}\n", errors: [
            "bad.yaml:2:15: error: lxd.spread: unknown spread strategy `random` — hint: use one of: round-robin, fewest-instances",
        ]),
        .init(name: "password with both sources", yaml: "name: demo\nssh:\n  password: {env: P, file: f}\nmachines: {web: {}}\n", errors: [
            "bad.yaml:3:13: error: ssh.password: give either `env:` or `file:`, not both — hint: write `password: {env: GOLDFLEET_PASSWORD}` or `password: {file: /path/to/password}`",
        ]),
        .init(name: "missing wheelhouse directory", yaml: "name: demo\nwheelhouse:\n  path: no-such-dir\nmachines: {web: {}}\n", errors: [
            "bad.yaml:3:9: error: wheelhouse.path: wheelhouse directory `BASE/no-such-dir` does not exist — hint: create it (e.g. `pip wheel -w no-such-dir -r requirements.txt`) or fix the path; relative paths start at the inventory's directory",
        ]),
        .init(name: "wheelhouse without a path", yaml: "name: demo\nwheelhouse: {pip_install: true}\nmachines: {web: {}}\n", errors: [
            "bad.yaml:2:13: error: wheelhouse: missing required key `path` — hint: add `path: wheelhouse` (a directory of .whl files, relative to the inventory)",
        ]),
        .init(name: "machine turns on a wheelhouse that does not exist", yaml: "name: demo\nmachines:\n  web: {wheelhouse: true}\n", errors: [
            "bad.yaml:3:21: error: machines.web.wheelhouse: `wheelhouse: true` but there is no global `wheelhouse:` — hint: give this machine its own `wheelhouse: {path: DIR}` or add a top-level one",
        ]),
        .init(name: "application without a charm", yaml: "name: demo\nmachines: {web: {}}\njuju:\n  applications:\n    app: {to: [web]}\n", errors: [
            "bad.yaml:5:5: error: juju.applications.app: missing required key `charm` — hint: add `charm: NAME` (Charmhub) or `charm: ./path/to/charm.charm`",
        ]),
        .init(name: "placement on an unknown machine", yaml: "name: demo\nmachines: {web: {}}\njuju:\n  applications:\n    app: {charm: ubuntu, to: [wbe]}\n", errors: [
            "bad.yaml:5:31: error: juju.applications.app.to[0]: no machine named `wbe` — hint: did you mean `web`?",
        ]),
        .init(name: "placement on a machine that does not exist at all", yaml: "name: demo\nmachines: {web: {}}\njuju:\n  applications:\n    app: {charm: ubuntu, to: [database]}\n", errors: [
            "bad.yaml:5:31: error: juju.applications.app.to[0]: no machine named `database` — hint: machines are: web (or `NAME-N` for one instance)",
        ]),
        .init(name: "placement on an instance past the count", yaml: "name: demo\nmachines: {web: {count: 2}}\njuju:\n  applications:\n    app: {charm: ubuntu, to: [web-3]}\n", errors: [
            "bad.yaml:5:31: error: juju.applications.app.to[0]: machine `web` has 2 instances; `web-3` does not exist — hint: use web-1…web-2, or raise `machines.web.count`",
        ]),
        .init(name: "placement given as a juju machine number", yaml: "name: demo\nmachines: {web: {}}\njuju:\n  applications:\n    app: {charm: ubuntu, to: [0]}\n", errors: [
            "bad.yaml:5:31: error: juju.applications.app.to[0]: expected a machine name, got 0 — hint: name an inventory machine (e.g. `web` or `web-1`); juju machine numbers are assigned by goldfleet",
        ]),
        .init(name: "lxd placement without nesting", yaml: "name: demo\nmachines: {db: {}}\njuju:\n  applications:\n    pg: {charm: postgresql, to: [lxd:db-1]}\n", errors: [
            "bad.yaml:5:34: error: juju.applications.pg.to[0]: `lxd:db-1` puts a container on machine `db`, which has no nesting — hint: add `nesting: true` under `machines.db`",
        ]),
        .init(name: "kvm placement", yaml: "name: demo\nmachines: {db: {}}\njuju:\n  applications:\n    pg: {charm: postgresql, to: [kvm:db]}\n", errors: [
            "bad.yaml:5:34: error: juju.applications.pg.to[0]: unsupported container type `kvm` in `kvm:db` — hint: only `lxd:MACHINE` containers are supported",
        ]),
        .init(name: "more units than placements", yaml: "name: demo\nmachines: {web: {count: 2}}\njuju:\n  applications:\n    app:\n      charm: ubuntu\n      num_units: 3\n      to: [web]\n", errors: [
            "bad.yaml:7:18: error: juju.applications.app.num_units: 3 units but only 2 placements (demo-web-1, demo-web-2) — hint: juju cannot create machines in a goldfleet model, so every unit needs a placement; add machines to `to:` (a machine name places one unit on each of its instances) or lower `num_units`",
        ]),
        .init(name: "units without any placement", yaml: "name: demo\nmachines: {web: {}}\njuju:\n  applications:\n    app: {charm: ubuntu}\n", errors: [
            "bad.yaml:5:5: error: juju.applications.app: 1 unit but no placement (`to:`) — hint: juju cannot create machines in a goldfleet model, so every unit needs a placement; add machines to `to:` (a machine name places one unit on each of its instances) or lower `num_units`",
        ]),
        .init(name: "revision without a channel", yaml: "name: demo\nmachines: {web: {}}\njuju:\n  applications:\n    app: {charm: ubuntu, revision: 3, to: [web]}\n", errors: [
            "bad.yaml:5:26: error: juju.applications.app.revision: `revision` needs a `channel` — hint: juju deploys a specific revision only together with --channel; add `channel: latest/stable`",
        ]),
        .init(name: "relation to an unknown application", yaml: "name: demo\nmachines: {web: {}}\njuju:\n  applications:\n    app: {charm: ubuntu, to: [web]}\n  relations:\n    - [app:juju-info, ntpp:juju-info]\n", errors: [
            "bad.yaml:7:23: error: juju.relations[0][1]: no application named `ntpp` — hint: applications are: app",
        ]),
        .init(name: "relation endpoint in a bad form", yaml: "name: demo\nmachines: {web: {}}\njuju:\n  applications:\n    app: {charm: ubuntu, to: [web]}\n    db: {charm: pg, to: [web]}\n  relations:\n    - [app:db:x, db]\n", errors: [
            "bad.yaml:8:8: error: juju.relations[0][0]: `app:db:x` is not an application or application:endpoint — hint: write `APPLICATION` or `APPLICATION:ENDPOINT`",
        ]),
        .init(name: "relation that is not a pair", yaml: "name: demo\nmachines: {web: {}}\njuju:\n  applications:\n    app: {charm: ubuntu, to: [web]}\n  relations:\n    - app\n", errors: [
            "bad.yaml:7:7: error: juju.relations[0]: expected a pair of applications, got `app` — hint: write `- [app-a:endpoint, app-b:endpoint]` or `- [app-a, app-b]`",
        ]),
        .init(name: "application related to itself", yaml: "name: demo\nmachines: {web: {}}\njuju:\n  applications:\n    app: {charm: ubuntu, to: [web]}\n  relations:\n    - [app:a, app:b]\n", errors: [
            "bad.yaml:7:7: error: juju.relations[0]: `app` is related to itself — hint: peer relations are created by juju automatically; remove this entry",
        ]),
        .init(name: "duplicate top-level key", yaml: "name: demo\nmachines: {web: {}}\nname: other\n", errors: [
            "bad.yaml:3:1: error: duplicate key `name` (first at line 1) — hint: a key may appear only once per mapping; merge the entries or rename one",
        ]),
        .init(name: "invalid application name", yaml: "name: demo\nmachines: {web: {}}\njuju:\n  applications:\n    mysql-8: {charm: mysql, to: [web]}\n", errors: [
            "bad.yaml:5:5: error: juju.applications.mysql-8: `mysql-8` is not a valid juju application name — hint: use lowercase letters, digits and hyphens, starting with a letter; no part after a hyphen may be only digits",
        ]),
        .init(name: "model config value that is a list", yaml: "name: demo\nmachines: {web: {}}\njuju:\n  model_config: {x: [1, 2]}\n", errors: [
            "bad.yaml:4:21: error: juju.model_config.x: expected a single value, got a list — hint: juju config values are strings, numbers or booleans",
        ]),
    ]

    @Test("reports the exact error", arguments: cases)
    func reportsExactError(_ testCase: InvalidInventoryCase) throws {
        let base = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let (inventory, diagnostics) = InventoryLoader.validate(yaml: testCase.yaml, file: "bad.yaml", baseDirectory: base)
        let errors = diagnostics.errors.map { $0.description.replacingOccurrences(of: base, with: "BASE") }
        #expect(errors == testCase.errors)
        #expect(inventory == nil)
        #expect(throws: InventoryError.self) {
            try InventoryLoader.load(yaml: testCase.yaml, file: "bad.yaml", baseDirectory: base)
        }
    }
}
