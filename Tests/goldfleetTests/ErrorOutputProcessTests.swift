import Foundation
import TestSupport
import Testing
@testable import GoldfleetSupport

/// The built binary, as a user runs it: every failure is `error: …` and `hint: …` on standard
/// error with a non-zero exit; a usage mistake keeps ArgumentParser's usage text. None of these
/// reach LXD or juju.
@Suite("goldfleet's error output (built binary)", .serialized)
struct ErrorOutputProcessTests {
    static func run(_ arguments: [String]) async throws -> ProcessResult {
        #expect(FileManager.default.isExecutableFile(atPath: HostileInputProcessTests.goldfleetPath),
                "build the goldfleet binary first (swift build --build-tests)")
        return try await SystemProcessRunner().run(
            Command(HostileInputProcessTests.goldfleetPath, arguments))
    }

    static func expectErrorAndHint(_ result: ProcessResult, message: String, hint: String) {
        let lines = result.standardError.split(separator: "\n").map(String.init)
        #expect(result.exitCode == 1, "exit \(result.exitCode)\n\(result.standardError)")
        #expect(lines.contains("error: \(message)"), "\(result.standardError)")
        #expect(lines.contains("hint: \(hint)"), "\(result.standardError)")
        #expect(!result.standardError.contains("Error:"), "the old prefix: \(result.standardError)")
    }

    @Test("a library error (an unreadable bundle) prints error: and hint:")
    func libraryError() async throws {
        let directory = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try await Self.run(["import-bundle", directory])
        Self.expectErrorAndHint(result, message: "cannot read \(directory): it is a directory", hint: "name a regular YAML file")
    }

    @Test("gold build with an unset --password-env: error: and hint:, before LXD is asked")
    func goldBuildPassword() async throws {
        let result = try await Self.run(
            ["gold", "build", "--password-env", "GFT_HELPER_CLI_UNSET", "--lxd-socket", "/nonexistent/lxd.socket"])
        Self.expectErrorAndHint(
            result, message: "no SSH password: environment variable GFT_HELPER_CLI_UNSET is not set (--password-env)",
            hint: "export GFT_HELPER_CLI_UNSET=… first, or use --password-file")
    }

    @Test("gold build with an empty --password-file: error: and hint:")
    func goldBuildPasswordFile() async throws {
        let directory = try InventoryFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/password"
        try "".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try await Self.run(["gold", "build", "--password-file", path, "--lxd-socket", "/nonexistent/lxd.socket"])
        Self.expectErrorAndHint(
            result, message: "no SSH password: file \(path) is empty (--password-file)",
            hint: "put the password on the first line of \(path) (mode 600)")
    }

    @Test("a usage mistake keeps ArgumentParser's message and usage, exit 64")
    func usage() async throws {
        let result = try await Self.run(["up", "inventory.yaml", "--parallel", "0"])
        #expect(result.exitCode == 64, "exit \(result.exitCode)\n\(result.standardError)")
        #expect(result.standardError.contains("--parallel 0 is out of range"), "\(result.standardError)")
        #expect(result.standardError.contains("Usage: goldfleet up"), "\(result.standardError)")
    }

    @Test("--help and --version keep ArgumentParser's output, exit 0", arguments: [
        ["--help"], ["--version"], ["gold", "--help"], ["gold", "list", "--help"], ["up", "-h"],
    ])
    func help(arguments: [String]) async throws {
        let result = try await Self.run(arguments)
        #expect(result.exitCode == 0, "exit \(result.exitCode)\n\(result.standardError)")
        #expect(!result.standardOutput.isEmpty)
        #expect(!result.standardError.contains("error"), "\(result.standardError)")
    }
}
