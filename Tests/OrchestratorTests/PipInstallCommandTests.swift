import Testing
@testable import Orchestrator

@Suite("Wheelhouse pip install for charm hooks")
struct PipInstallCommandTests {
    /// Hooks run as root with the system Python: no `--user`, root via passwordless sudo.
    @Test("up installs the wheelhouse system-wide with sudo -n, offline")
    func systemWide() {
        let command = Orchestrator.pipInstallCommand(wheelhouse: "/home/ubuntu/wheel house")
        #expect(command == "sudo -n env PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --no-index --find-links '/home/ubuntu/wheel house' '/home/ubuntu/wheel house'/*.whl")
        #expect(!command.contains("--user"))
    }
}
