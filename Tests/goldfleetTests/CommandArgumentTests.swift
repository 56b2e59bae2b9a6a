import ArgumentParser
import Testing

@testable import goldfleet
@testable import Gold

/// Argument checks happen in `validate()` and in argument types, before a command runs: a bad
/// value is a usage error naming it, never silently changed.
@Suite("command-line arguments")
struct CommandArgumentTests {
    /// The text ArgumentParser prints for a parse error, without its usage lines.
    static func failure<C: ParsableCommand>(_ command: C.Type, _ arguments: [String]) -> String? {
        do {
            _ = try C.parse(arguments)
            return nil
        } catch {
            return C.message(for: error)
        }
    }

    @Test("GOLD/SNAPSHOT arguments parse into a GoldReference", arguments: [
        ("gold", GoldReference(instance: "gold")),
        ("gold/snap1", GoldReference(instance: "gold", snapshot: "snap1")),
    ])
    func goldReference(text: String, expected: GoldReference) throws {
        #expect(GoldReference(argument: text) == expected)
        #expect(try GoldDoctorCommand.parse([text]).gold == expected)
        #expect(try GoldPublishCommand.parse([text]).gold == expected)
    }

    @Test("anything but GOLD or GOLD/SNAPSHOT is a usage error naming the value", arguments: ["a/b/c", "gold/", "/snap1", ""])
    func badGoldReference(text: String) {
        #expect(GoldReference(argument: text) == nil)
        let message = Self.failure(GoldDoctorCommand.self, [text])
        #expect(message?.contains("'\(text)'") == true, "\(message ?? "parsed")")
        #expect(Self.failure(GoldPublishCommand.self, [text]) != nil)
    }

    @Test("--parallel out of 1…1000 is an error, not clamped", arguments: ["0", "-3", "1001"])
    func parallelOutOfRange(value: String) {
        for command in [UpCommand.self, ResetCommand.self] as [any ParsableCommand.Type] {
            let message = Self.failure(command, ["inventory.yaml", "--parallel=\(value)"])
            #expect(message?.contains("--parallel \(value) is out of range") == true, "\(command): \(message ?? "parsed")")
        }
    }

    @Test("--parallel in range is kept as given")
    func parallelInRange() throws {
        #expect(try UpCommand.parse(["inventory.yaml", "--parallel", "1"]).connection.parallel == 1)
        #expect(try UpCommand.parse(["inventory.yaml", "--parallel", "1000"]).connection.parallel == 1000)
    }

    @Test("--lxd-socket and --lxd-remote together are refused, on up and on every gold verb")
    func socketAndRemote() {
        let both = ["--lxd-socket", "/run/lxd.socket", "--lxd-remote", "cluster"]
        let commands: [(any ParsableCommand.Type, [String])] = [
            (UpCommand.self, ["inventory.yaml"]), (ListCommand.self, []), (PlanCommand.self, ["inventory.yaml"]),
            (GoldBuildCommand.self, []), (GoldDoctorCommand.self, ["gold"]), (GoldSnapshotCommand.self, ["gold"]),
            (GoldPublishCommand.self, ["gold"]), (GoldListCommand.self, []),
        ]
        for (command, arguments) in commands {
            let message = Self.failure(command, arguments + both)
            #expect(message?.contains("give --lxd-socket or --lxd-remote, not both") == true, "\(command): \(message ?? "parsed")")
        }
    }

    @Test("every gold verb takes --lxd-remote")
    func goldReachesRemotes() throws {
        #expect(try GoldBuildCommand.parse(["--lxd-remote", "cluster"]).lxd.lxdRemote == "cluster")
        #expect(try GoldDoctorCommand.parse(["gold", "--lxd-remote", "cluster"]).lxd.lxdRemote == "cluster")
        #expect(try GoldSnapshotCommand.parse(["gold", "--lxd-remote", "cluster"]).lxd.lxdRemote == "cluster")
        #expect(try GoldPublishCommand.parse(["gold", "--lxd-remote", "cluster"]).lxd.lxdRemote == "cluster")
        #expect(try GoldListCommand.parse(["--lxd-remote", "cluster"]).lxd.lxdRemote == "cluster")
    }

    @Test("a bad --juju-version is refused before anything is read")
    func jujuVersion() {
        let message = Self.failure(PlanCommand.self, ["inventory.yaml", "--juju-version", "three"])
        #expect(message?.contains("--juju-version three is not a juju version") == true, "\(message ?? "parsed")")
    }

    @Test("cycle: --hook without --sync or --watch, and --sync with --refresh, are refused before the inventory is read")
    func cycleModes() {
        let hook = Self.failure(CycleCommand.self, ["inventory.yaml", "--hook", "install"])
        #expect(hook?.contains("--hook goes with --sync or --watch") == true, "\(hook ?? "parsed")")
        let both = Self.failure(CycleCommand.self, ["inventory.yaml", "--sync", "--refresh"])
        #expect(both?.contains("do not go with --refresh") == true, "\(both ?? "parsed")")
        #expect(Self.failure(CycleCommand.self, ["inventory.yaml"]) == nil, "fresh is the default mode")
        let path = Self.failure(CycleCommand.self, ["inventory.yaml", "--sync", "--hook", "../install"])
        #expect(path?.contains("--hook `../install` is not a hook name (lowercase letters, digits and dashes, e.g. upgrade-charm)") == true, "\(path ?? "parsed")")
    }
}
