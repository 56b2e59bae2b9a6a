import Testing
@testable import Gold
@testable import GoldfleetSupport

@Suite("What the gold files say")
struct GoldFilesTests {
    @Test("a sudoers line with NOPASSWD:ALL for ubuntu counts; comments and other users do not")
    func sudoers() {
        #expect(GoldFiles.grantsPasswordlessSudo(GoldFiles.sudoers))
        #expect(GoldFiles.grantsPasswordlessSudo("ubuntu\tALL=(ALL:ALL) NOPASSWD: ALL\n"))
        #expect(!GoldFiles.grantsPasswordlessSudo("# ubuntu ALL=(ALL) NOPASSWD:ALL\n"))
        #expect(!GoldFiles.grantsPasswordlessSudo("ubuntu ALL=(ALL) ALL\n"))
        #expect(!GoldFiles.grantsPasswordlessSudo("ubuntu2 ALL=(ALL) NOPASSWD:ALL\n"))
    }

    @Test("sshd -T allows password login by password or by keyboard-interactive through PAM")
    func sshd() {
        #expect(GoldFiles.sshdAllowsPasswordLogin(effectiveConfig: "port 22\npasswordauthentication yes\nkbdinteractiveauthentication no\n"))
        #expect(GoldFiles.sshdAllowsPasswordLogin(effectiveConfig: "usepam yes\npasswordauthentication no\nkbdinteractiveauthentication yes\n"))
        #expect(!GoldFiles.sshdAllowsPasswordLogin(effectiveConfig: "usepam no\npasswordauthentication no\nkbdinteractiveauthentication yes\n"))
        #expect(!GoldFiles.sshdAllowsPasswordLogin(effectiveConfig: "usepam yes\npasswordauthentication no\nkbdinteractiveauthentication no\n"))
    }

    @Test("the sshd drop-in sorts before distribution drop-ins")
    func dropInOrder() {
        let name = String(GoldFiles.sshdDropInPath.split(separator: "/").last!)
        #expect(name < "50-cloud-init.conf")
        #expect(name < "60-cloudimg-settings.conf")
        #expect(GoldFiles.sshdDropIn.contains("PasswordAuthentication yes"))
    }

    @Test("shadow: a hash is a usable password; locked, empty and missing are not")
    func shadow() {
        #expect(GoldFiles.hasUsablePassword(shadow: "root:*:1::::::\nubuntu:$y$j9T$abc:19000:0:99999:7:::\n") == true)
        #expect(GoldFiles.hasUsablePassword(shadow: "ubuntu:!$y$abc:19000::::::\n") == false)
        #expect(GoldFiles.hasUsablePassword(shadow: "ubuntu::19000::::::\n") == false)
        #expect(GoldFiles.hasUsablePassword(shadow: "root:*:1::::::\n") == nil)
    }

    @Test("fast logins: a yescrypt hash and a post-quantum first key exchange are told; the drop-in removes it")
    func fastLogins() {
        #expect(GoldFiles.hasYescryptPassword(shadow: "ubuntu:$y$j9T$abc:19000:0:99999:7:::\n"))
        #expect(!GoldFiles.hasYescryptPassword(shadow: "ubuntu:$6$salt$hash:19000:0:99999:7:::\n"))
        #expect(!GoldFiles.hasYescryptPassword(shadow: "root:$y$j9T$abc:1::::::\n"))
        #expect(GoldFiles.firstKeyExchange(effectiveConfig: "port 22\nkexalgorithms sntrup761x25519-sha512,curve25519-sha256\n") == "sntrup761x25519-sha512")
        #expect(GoldFiles.firstKeyExchange(effectiveConfig: "port 22\n") == nil)
        #expect(GoldFiles.sshdDropIn.contains("KexAlgorithms -sntrup761x25519-sha512@openssh.com,sntrup761x25519-sha512\n"))
    }

    @Test("a getent passwd line gives uid, gid and home")
    func passwd() {
        let user = GoldUser(passwdLine: "ubuntu:x:1000:1001:,,,:/home/ubuntu:/bin/bash\n")
        #expect(user == GoldUser(uid: 1000, gid: 1001, home: "/home/ubuntu", hasPassword: false))
        #expect(GoldUser(passwdLine: "garbage") == nil)
    }

    @Test("build options refuse bad names and packages before anything is created")
    func options() {
        #expect(GoldBuildOptions(name: "gold").problems().isEmpty)
        #expect(GoldBuildOptions(name: "gold", packages: ["python3-pip", "libc6:amd64", "g++"]).problems().isEmpty)
        #expect(GoldBuildOptions(name: "9gold").problems().count == 1)
        #expect(GoldBuildOptions(name: "gold_x").problems().count == 1)
        #expect(GoldBuildOptions(name: "gold", packages: ["-o", "a;rm"]).problems().count == 2)
        #expect(GoldBuildOptions(name: "gold", pipInstallWheelhouse: true).problems().count == 1)
    }

    @Test("the build options never show the password in descriptions")
    func password() {
        let options = GoldBuildOptions(name: "gold", password: Secret("hunter2"))
        #expect(!"\(options)".contains("hunter2"))
        #expect(!String(reflecting: options).contains("hunter2"))
    }
}
