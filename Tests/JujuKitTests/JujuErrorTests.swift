import Foundation
import TestSupport
import Testing
@testable import GoldfleetSupport
@testable import Inventory
@testable import JujuKit

@Suite("Juju errors")
struct JujuErrorTests {
    @Test("juju's ERROR line is classified", arguments: [
        ("machine is already provisioned", JujuError.Reason.alreadyProvisioned),
        ("exit status 255 (ubuntu@10.0.0.2: Permission denied (publickey,password).)", .keyAuthenticationRefused),
        ("exit status 1 (sudo: a password is required)", .sudoNeedsPassword),
        ("exit status 255 (Host key verification failed.)", .hostKeyNotTrusted),
        ("exit status 255 (ssh: connect to host 10.0.0.2 port 22: Connection refused)", .hostUnreachable),
        ("machine 9 not found", .notFound),
        ("model \"admin/nope\" not found", .notFound),
        ("application \"x\" not found (not found)", .notFound),
        ("juju: \"integrate\" is not a juju command. See \"juju --help\".", .unknownCommand),
        ("option provided but not defined: --bogus", .usage),
        ("relation a:juju-info b:juju-info already exists (already exists)", .alreadyExists),
        ("something else broke", .other),
    ])
    func classification(text: String, reason: JujuError.Reason) {
        let error = JujuError(command: Command("juju", ["x"]), result: JujuFixtures.error(text))
        #expect(error.reason == reason)
        #expect(error.jujuMessage == text)
    }

    /// juju's InitUbuntuUser fallback runs sudo on a PTY whose output goes to juju's stdout.
    @Test("a sudo prompt on add-machine's stdout means passwordless sudo is missing")
    func sudoPromptOnStdout() {
        let result = ProcessResult(exitCode: 1, standardOutput: "[sudo] password for ubuntu: ", standardError: "ERROR exit status 1\n")
        let error = JujuError(command: Command("juju", ["add-machine", "-m", "gf", "ssh:ubuntu@10.0.0.2"]), result: result)
        #expect(error.reason == .sudoNeedsPassword)
        #expect(error.hint?.contains("NOPASSWD") == true)
        // A relation that exists, as both juju lines print it (integrate.go / addrelation.go).
        let exists = JujuError(command: Command("juju", ["integrate"]), result: JujuFixtures.error(
            "cannot add relation \"ntp:juju-info ubuntu:juju-info\"\nrelation ntp:juju-info ubuntu:juju-info already exists: \n\nUse 'juju status --relations' to view the current relations."))
        #expect(exists.reason == .alreadyExists)
    }

    @Test("the message shows the command and juju's text; multi-line errors are kept")
    func messageShape() {
        let result = ProcessResult(exitCode: 1, standardOutput: "", standardError: "Located charm \"ubuntu\"\nERROR cannot add application \"u\": application already exists:\ndeploy application using an alias name\n")
        let error = JujuError(command: Command("juju", ["deploy", "-m", "gf", "ubuntu", "u"]), result: result)
        #expect(error.message == "`juju deploy -m gf ubuntu u` failed: cannot add application \"u\": application already exists:\ndeploy application using an alias name")
        #expect(error.reason == .alreadyExists)
    }

    @Test("without an ERROR line the last stderr line (or the exit status) is shown")
    func noErrorLine() {
        #expect(JujuError.jujuMessage(fromStandardError: "warning\nsegfault\n", exitCode: 139) == "segfault")
        #expect(JujuError.jujuMessage(fromStandardError: "", exitCode: 3) == "exit status 3")
    }

    @Test("exit status 2 without a known text is a usage error")
    func exitTwo() {
        #expect(JujuError.classify("weird", exitCode: 2) == .usage)
    }

    @Test("config values never appear in the command line shown")
    func redaction() {
        let deploy = Command("juju", ["deploy", "-m", "gf", "app", "--config", "password=hunter2", "--to", "0"])
        #expect(JujuError.redacted(deploy) == "juju deploy -m gf app --config password=… --to 0")
        let config = Command("juju", ["model-config", "-m", "gf", "http-proxy=http://u:secret@p"])
        #expect(JujuError.redacted(config) == "juju model-config -m gf http-proxy=…")
        let error = JujuError(command: deploy, result: JujuFixtures.error("boom"))
        #expect(!error.description.contains("hunter2"))
    }
}
