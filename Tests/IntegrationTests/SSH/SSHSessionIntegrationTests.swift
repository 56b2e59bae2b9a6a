import Foundation
import Testing
@testable import GoldfleetSupport
@testable import Inventory
@testable import SSHKit

@Suite("SSH sessions against real sshd", .serialized, .integrationLane)
struct SSHSessionIntegrationTests {
    @Test("password login; exec with exit status, stdin, 1 MB of stderr, timeout; authorized_keys; key login")
    func passwordLoginAndExec() async throws {
        try await withLabContainers("ssh") { containers in
            let container = containers[0]
            let session = try await SSHLab.connect(container)

            let checkedFailure = await #expect(throws: SSHError.self) { try await session.executeChecked("ls /nonexistent-dir") }
            #expect(checkedFailure?.code == .commandFailed)
            #expect(checkedFailure?.message.contains("No such file or directory") == true)

            let whoami = try await session.execute("id -un")
            #expect(whoami.stdout == "ubuntu\n")
            #expect(whoami.exitStatus == 0)

            let failing = try await session.execute("echo out; echo err >&2; exit 3")
            #expect(failing.exitStatus == 3)
            #expect(failing.stdout == "out\n")
            #expect(failing.stderr == "err\n")

            let payload = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let echoed = try await session.execute("cat", stdin: payload)
            #expect(echoed.stdoutBytes == payload)

            let unread = try await session.execute("head -c 10 >/dev/null; echo read-ten", stdin: Array(repeating: 65, count: 8_000_000))
            #expect(unread.stdout == "read-ten\n")

            // stderr first and big: a reader that only drains stdout would stall here.
            let noisy = try await session.execute(
                "head -c 1000000 /dev/zero | tr '\\0' e >&2; head -c 3000000 /dev/zero | tr '\\0' o; echo done >&2")
            #expect(noisy.stderrBytes.count == 1_000_005)
            #expect(noisy.stdoutBytes.count == 3_000_000)
            #expect(noisy.exitStatus == 0)

            let timeout = await #expect(throws: SSHError.self) {
                try await session.execute("sleep 30", timeout: .seconds(1))
            }
            #expect(timeout?.code == .commandTimedOut)
            #expect(timeout?.message == "`sleep 30` on \(container.ipv4) did not finish within 1.0 s")
            #expect(try await session.execute("echo again").stdout == "again\n")

            let keyDirectory = try SSHLab.temporaryDirectory("key")
            defer { try? FileManager.default.removeItem(atPath: keyDirectory) }
            let keyPath = "\(keyDirectory)/id_ed25519"
            _ = try await SystemProcessRunner().run(Command("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "goldfleet-test", "-f", keyPath]))
            let publicKey = try String(contentsOfFile: keyPath + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try await session.installAuthorizedKeys([publicKey]) == true)
            #expect(try await session.installAuthorizedKeys([publicKey]) == false)
            let installed = try await session.execute("grep -cxF '\(publicKey)' ~/.ssh/authorized_keys; stat -c %a ~/.ssh ~/.ssh/authorized_keys")
            #expect(installed.stdout == "1\n700\n600\n")
            await session.close()
            await #expect(throws: SSHError.self) { try await session.execute("true") }

            var keyOptions = try SSHLab.options(for: container, keys: session.options.expectedHostKeys)
            keyOptions.authentication = .privateKey(path: keyPath, passphrase: nil)
            let keySession = try await SSHSession.connect(keyOptions)
            #expect(try await keySession.execute("id -un").stdout == "ubuntu\n")
            await keySession.close()
        }
    }

    @Test("a command that closes its output and exits later reports its real status; no status is a failure")
    func exitStatusAfterEOF() async throws {
        try await withLabContainers("ssh-exit") { containers in
            let session = try await SSHLab.connect(containers[0])
            // sshd sends EOF when stdout and stderr close, and the exit status a second later.
            let late = try await session.execute("exec 1>&- 2>&-; sleep 1; exit 3", timeout: .seconds(20))
            #expect(late.exitStatus == 3)
            #expect(late.succeeded == false)

            let killed = try await session.execute("exec 1>&- 2>&-; sleep 1; kill -KILL $$", timeout: .seconds(20))
            #expect(killed.exitSignal == "KILL")
            #expect(killed.succeeded == false)
            let checked = await #expect(throws: SSHError.self) {
                try await session.executeChecked("exec 1>&- 2>&-; sleep 1; kill -TERM $$", timeout: .seconds(20))
            }
            #expect(checked?.message.contains("killed by SIGTERM") == true)

            // The sshd process serving the session dies after EOF: no exit status ever comes.
            let lost = await #expect(throws: SSHError.self) {
                try await session.execute("exec 1>&- 2>&-; sleep 1; kill -KILL $PPID", timeout: .seconds(20))
            }
            #expect(lost?.code == .noExitStatus)
            #expect(lost?.message.hasPrefix("`exec 1>&- 2>&-; sleep 1; kill -KILL $PPID` on \(containers[0].ipv4) ended without an exit status") == true)
            await session.close()

            // Output closed, command still running at the deadline: a timeout, not "exit 0".
            let waiting = try await SSHLab.connect(containers[0])
            let timedOut = await #expect(throws: SSHError.self) {
                try await waiting.execute("exec 1>&- 2>&-; sleep 30", timeout: .seconds(2))
            }
            #expect(timedOut?.code == .commandTimedOut)
            await waiting.close()

            // sshd closes an idle channel cleanly, without any exit status (ChannelTimeout):
            // libssh2 alone would report that as exit status 0.
            try await containers[0].exec("printf 'ChannelTimeout session:command=1s\\n' > /etc/ssh/sshd_config.d/00-channel-timeout.conf && systemctl restart ssh")
            let idle = try await SSHLab.connect(containers[0])
            let abandoned = await #expect(throws: SSHError.self) {
                try await idle.execute("exec 1>&- 2>&-; sleep 5", timeout: .seconds(20))
            }
            #expect(abandoned?.code == .noExitStatus)
            #expect(abandoned?.message == "`exec 1>&- 2>&-; sleep 5` on \(containers[0].ipv4) ended without an exit status, so it is not known to have succeeded")
            await idle.close()
        }
    }

    @Test("wrong password, host key mismatch, no expected keys and a closed port fail with exact errors")
    func failures() async throws {
        try await withLabContainers("ssh") { containers in
            let container = containers[0]
            let keys = try await SSHLab.hostKeys(of: container)
            let ip = container.ipv4

            let wrong = await #expect(throws: SSHError.self) {
                try await SSHSession.connect(SSHLab.options(for: container, keys: keys, password: "not-the-password"))
            }
            #expect(wrong?.message == "user ubuntu: password rejected by \(ip)")
            #expect(wrong?.code == .passwordRejected)

            let fakeDirectory = try SSHLab.temporaryDirectory("fakekey")
            defer { try? FileManager.default.removeItem(atPath: fakeDirectory) }
            _ = try await SystemProcessRunner().run(Command("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", "\(fakeDirectory)/k"]))
            let fake = try SSHHostKey(openSSHLine: String(contentsOfFile: "\(fakeDirectory)/k.pub", encoding: .utf8))
            let real = try #require(keys.first { $0.type == "ssh-ed25519" })
            let mismatch = await #expect(throws: SSHError.self) {
                try await SSHSession.connect(SSHLab.options(for: container, keys: [fake]))
            }
            #expect(mismatch?.message == "host key mismatch for \(ip): the server presented ssh-ed25519 \(real.sha256Fingerprint), expected ssh-ed25519 \(fake.sha256Fingerprint)")
            #expect(mismatch?.code == .hostKeyMismatch)

            let unexpected = await #expect(throws: SSHError.self) {
                try await SSHSession.connect(SSHLab.options(for: container, keys: []))
            }
            #expect(unexpected?.code == .noExpectedHostKeys)

            let clock = ContinuousClock()
            let before = clock.now
            let closed = await #expect(throws: SSHError.self) {
                try await SSHSession.connect(SSHLab.options(for: container, keys: keys, port: 2222, connectDeadline: .seconds(2)))
            }
            let waited = clock.now - before
            #expect(waited >= .seconds(1))
            #expect(closed?.code == .unreachable)
            let message = try #require(closed?.message)
            #expect(message.hasPrefix("could not reach sshd on \(ip):2222 within "))
            #expect(message.hasSuffix("; last seen: connection refused"))

            // Something that accepts TCP but never sends an SSH banner.
            try await container.exec("setsid python3 -c 'import socket,time\ns=socket.socket()\ns.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\ns.bind((\"\",2200))\ns.listen(50)\nc=[]\nwhile True: c.append(s.accept())' >/dev/null 2>&1 < /dev/null &")
            try await Task.sleep(for: .milliseconds(500))
            let silent = await #expect(throws: SSHError.self) {
                try await SSHSession.connect(SSHLab.options(for: container, keys: keys, port: 2200, connectDeadline: .seconds(3)))
            }
            #expect(silent?.code == .unreachable)
            #expect(silent?.message.contains("last seen: SSH handshake: ") == true, "\(String(describing: silent))")

            for error in [wrong, mismatch, unexpected, closed, silent].compactMap({ $0 }) {
                #expect(!error.description.contains(try Lab.password()))
            }
        }
    }

    @Test("a server that only offers keyboard-interactive accepts the password through it")
    func keyboardInteractiveOnly() async throws {
        try await withLabContainers("ssh") { containers in
            let container = containers[0]
            let keys = try await SSHLab.hostKeys(of: container)
            // sshd takes the FIRST value it reads, so the gold's own drop-in must be overwritten.
            try await container.exec("""
                printf 'PasswordAuthentication no\\nKbdInteractiveAuthentication yes\\n' > /etc/ssh/sshd_config.d/00-goldfleet.conf \
                && systemctl restart ssh
                """)
            let offered = try await container.exec("sshd -T | grep -Ei '^(passwordauthentication|kbdinteractiveauthentication) '")
            #expect(offered.stdout.contains("passwordauthentication no"))

            let session = try await SSHSession.connect(SSHLab.options(for: container, keys: keys))
            #expect(try await session.execute("id -un").stdout == "ubuntu\n")
            await session.close()
            let log = try await container.exec("journalctl -u ssh --no-pager | grep -c 'Accepted keyboard-interactive/pam for ubuntu'")
            #expect(log.stdout.trimmingCharacters(in: .whitespacesAndNewlines) != "0")

            let wrong = await #expect(throws: SSHError.self) {
                try await SSHSession.connect(SSHLab.options(for: container, keys: keys, password: "wrong-again"))
            }
            #expect(wrong?.message == "user ubuntu: password rejected by \(container.ipv4)")

            // Multi-byte UTF-8 goes out as exactly its bytes.
            let unicode = "pä🔑ss-ÿ"
            try await container.exec("printf 'ubuntu:%s\\n' '\(unicode)' | chpasswd")
            let unicodeSession = try await SSHSession.connect(SSHLab.options(for: container, keys: keys, password: unicode))
            #expect(try await unicodeSession.execute("id -un").stdout == "ubuntu\n")
            await unicodeSession.close()

            // A NUL would cut the password short (or send the bytes after it): refused before any try.
            let failuresBefore = try await container.exec("journalctl -u ssh --no-pager | grep -c 'Failed\\|failure' || true").stdout
            let nul = await #expect(throws: SSHError.self) {
                try await SSHSession.connect(SSHLab.options(for: container, keys: keys, password: "\(unicode)\u{0}tail"))
            }
            #expect(nul?.code == .invalidInput)
            #expect(nul?.message == "user ubuntu: the password contains a NUL byte, which SSH cannot send")
            #expect(nul?.description.contains(unicode) == false)
            let failuresAfter = try await container.exec("journalctl -u ssh --no-pager | grep -c 'Failed\\|failure' || true").stdout
            #expect(failuresAfter == failuresBefore)
        }
    }

    @Test("connect keeps retrying while sshd is down and succeeds once it starts")
    func sshdStartsLate() async throws {
        try await withLabContainers("ssh") { containers in
            let container = containers[0]
            let keys = try await SSHLab.hostKeys(of: container)
            try await container.exec("systemctl stop ssh")
            let clock = ContinuousClock()
            let before = clock.now
            async let starter: Void = {
                try await Task.sleep(for: .seconds(2))
                try await container.exec("systemctl start ssh")
            }()
            let session = try await SSHSession.connect(SSHLab.options(for: container, keys: keys, connectDeadline: .seconds(30)))
            #expect(clock.now - before >= .seconds(2))
            #expect(try await session.execute("echo up").stdout == "up\n")
            await session.close()
            try await starter
        }
    }

    @Test("16 sessions at once to two machines, each running a command and a small sync")
    func sixteenSessions() async throws {
        let local = try SSHLab.temporaryDirectory("multi")
        defer { try? FileManager.default.removeItem(atPath: local) }
        for index in 0..<5 {
            _ = FileManager.default.createFile(atPath: "\(local)/wheel\(index).whl", contents: Data(repeating: UInt8(index), count: 200_000))
        }
        try await withLabContainers("ssh", count: 2) { containers in
            var options: [SSHConnectOptions] = []
            for container in containers {
                options.append(try SSHLab.options(for: container, keys: try await SSHLab.hostKeys(of: container)))
            }
            let plans = options
            let outputs = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<16 {
                    group.addTask {
                        let session = try await SSHSession.connect(plans[index % plans.count])
                        let data = Array(repeating: UInt8(index), count: 100_000)
                        let result = try await session.execute("wc -c; echo \(index)", stdin: data)
                        let report = try await session.syncDirectory(from: local, to: "multi/\(index)")
                        let check = try await session.execute("cat multi/\(index)/*.whl | wc -c")
                        await session.close()
                        guard report.uploaded == 5, check.stdout == "1000000\n" else { return "sync failed: \(report) \(check.stdout)" }
                        return result.stdout
                    }
                }
                var collected: [String] = []
                for try await output in group { collected.append(output) }
                return collected
            }
            #expect(outputs.count == 16)
            #expect(Set(outputs) == Set((0..<16).map { "100000\n\($0)\n" }))
        }
    }

    @Test("a KnownHostsFile is accepted by OpenSSH with StrictHostKeyChecking=yes, and removal revokes it")
    func knownHostsWithOpenSSH() async throws {
        try await withLabContainers("ssh") { containers in
            let container = containers[0]
            let keys = try await SSHLab.hostKeys(of: container)
            let directory = try SSHLab.temporaryDirectory("kh")
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let file = KnownHostsFile(path: "\(directory)/known_hosts")
            try file.add(host: container.ipv4, keys: keys)
            let arguments = file.openSSHOptions + [
                "-o", "PubkeyAuthentication=no", "-o", "BatchMode=no", "-o", "ConnectTimeout=10",
                "ubuntu@\(container.ipv4)", "echo trusted",
            ]
            // The harness waited for host keys, but sshd may still be coming up.
            var accepted = try await SSHLab.withPassword("sshpass", ["-e", "ssh"] + arguments)
            for _ in 0..<20 where accepted.exitCode != 0 && accepted.standardError.contains("refused") {
                try await Task.sleep(for: .milliseconds(250))
                accepted = try await SSHLab.withPassword("sshpass", ["-e", "ssh"] + arguments)
            }
            #expect(accepted.exitCode == 0, "\(accepted.standardError)")
            #expect(accepted.standardOutput == "trusted\n")

            try file.remove(host: container.ipv4)
            let refused = try await SSHLab.withPassword("sshpass", ["-e", "ssh"] + arguments)
            #expect(refused.exitCode != 0)
            #expect(refused.standardError.contains("Host key verification failed"))
        }
    }
}
