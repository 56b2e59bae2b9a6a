/// The files a clone-safe gold carries, written the same way by `build` and looked for by `doctor`.
public enum GoldFiles {
    /// sshd keeps the FIRST value it reads for a keyword and reads `sshd_config.d` in lexical
    /// order, so `00-` wins over distribution drop-ins such as `60-cloudimg-settings.conf`.
    public static let sshdDropInPath = "/etc/ssh/sshd_config.d/00-goldfleet.conf"
    public static let sshdDropIn = """
        # goldfleet: juju's manual provider and goldfleet log in as ubuntu with a password.
        PasswordAuthentication yes
        KbdInteractiveAuthentication yes
        # A throw-away test machine on a host-only bridge: skip the post-quantum key exchange,
        # whose key generation costs the ssh client ~70 ms of CPU on every connection.
        KexAlgorithms -\(slowKeyExchanges.joined(separator: ","))

        """

    /// OpenSSH 9's first choice, under both of its names; curve25519-sha256 (libssh2's) is
    /// negotiated instead. sshd ignores names it does not know here.
    public static let slowKeyExchanges = ["sntrup761x25519-sha512@openssh.com", "sntrup761x25519-sha512"]

    /// SHA-512 crypt: checking a yescrypt hash (Debian's default) costs sshd ~50 ms of CPU per
    /// password login, for a password every tester knows anyway.
    public static let passwordHashMethod = "SHA512"

    public static let sudoersPath = "/etc/sudoers.d/90-goldfleet-ubuntu"
    /// Juju's manual provider needs passwordless sudo (`sudo -n true` must succeed).
    public static let sudoers = "ubuntu ALL=(ALL) NOPASSWD:ALL\n"

    public static let hostKeysUnitName = "goldfleet-ssh-hostkeys.service"
    public static let hostKeysUnitPath = "/etc/systemd/system/\(hostKeysUnitName)"
    /// With the host keys removed from the gold, Debian's ssh.service fails to start: nothing
    /// else regenerates them. This unit does, once per clone, before sshd. ed25519 and ecdsa
    /// only: an RSA key costs most of a second of CPU on every clone while several boot at once,
    /// and OpenSSH, libssh2 and juju all use ed25519 (the same unit as scripts/lab's).
    public static let hostKeysUnit = """
        [Unit]
        Description=Generate SSH host keys on first boot (goldfleet clone-safe gold)
        Before=ssh.service
        ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key

        [Service]
        Type=oneshot
        ExecStart=/usr/bin/ssh-keygen -q -t ecdsa -N "" -f /etc/ssh/ssh_host_ecdsa_key
        ExecStart=/usr/bin/ssh-keygen -q -t ed25519 -N "" -f /etc/ssh/ssh_host_ed25519_key

        [Install]
        RequiredBy=ssh.service

        """

    /// Automatic updates make test machines change under the tests and hold the dpkg lock.
    public static let aptTimers = ["apt-daily.timer", "apt-daily-upgrade.timer"]

    /// Units that fail in every unprivileged container (binfmt_misc cannot be mounted there), so
    /// a boot that is `degraded` only by them is fine.
    public static let failingInContainers: Set<String> = ["systemd-binfmt.service"]

    /// Where the wheelhouse goes, under the ubuntu user's home.
    public static let wheelhouseDirectoryName = "wheelhouse"

    /// True when a sudoers text gives ubuntu passwordless sudo for everything.
    public static func grantsPasswordlessSudo(_ text: String, user: String = "ubuntu") -> Bool {
        text.split(whereSeparator: \.isNewline).contains { rawLine in
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            guard !line.hasPrefix("#") else { return false }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.first.map(String.init) == user else { return false }
            let rest = words.dropFirst().joined(separator: " ")
            return rest.contains("NOPASSWD:") && rest.hasSuffix("ALL")
        }
    }

    /// True when `/etc/shadow` gives `user` a usable password (not empty, `!`-locked or `*`).
    public static func hasUsablePassword(shadow: String, user: String = "ubuntu") -> Bool? {
        for line in shadow.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count > 1, fields[0] == user else { continue }
            let hash = fields[1]
            return !(hash.isEmpty || hash.hasPrefix("!") || hash.hasPrefix("*"))
        }
        return nil
    }

    /// True when `user`'s password hash in `/etc/shadow` is yescrypt (`$y$`), Debian's slow default.
    public static func hasYescryptPassword(shadow: String, user: String = "ubuntu") -> Bool {
        shadow.split(whereSeparator: \.isNewline).contains { line in
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            return fields.count > 1 && fields[0] == user && fields[1].hasPrefix("$y$")
        }
    }

    /// The key exchange sshd prefers, from `sshd -T`'s `kexalgorithms` line.
    public static func firstKeyExchange(effectiveConfig text: String) -> String? {
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("kexalgorithms ") {
            return line.dropFirst("kexalgorithms ".count).split(separator: ",").first.map(String.init)
        }
        return nil
    }

    /// What `sshd -T` says about password logins: true when a password can be typed, either by
    /// `password` authentication or by keyboard-interactive through PAM.
    public static func sshdAllowsPasswordLogin(effectiveConfig text: String) -> Bool {
        var settings: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.count == 2, settings[parts[0].lowercased()] == nil { settings[parts[0].lowercased()] = parts[1] }
        }
        if settings["passwordauthentication"] == "yes" { return true }
        let keyboard = settings["kbdinteractiveauthentication"] ?? settings["challengeresponseauthentication"]
        return keyboard == "yes" && settings["usepam"] == "yes"
    }
}
