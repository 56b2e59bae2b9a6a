import CLibSSH2
import Foundation

extension LibSSH2Connection {
    /// Asks the server which methods it accepts, then uses the one that fits the credentials:
    /// password (falling back to keyboard-interactive), or a private key file.
    func authenticate(_ authentication: SSHAuthentication) throws(SSHError) {
        let offered = try offeredMethods()
        if libssh2_userauth_authenticated(session) != 0 { return }  // the server accepted "none"
        switch authentication {
        case .password(let secret):
            try authenticate(password: secret, offered: offered)
        case .privateKey(let path, let passphrase):
            guard offered.contains("publickey") else {
                throw .noUsableMethod(host: host, user: user, wanted: "public key", offered: offered)
            }
            let status = libssh2_userauth_publickey_fromfile_ex(
                session, user, UInt32(user.utf8.count), nil, path, passphrase?.revealedValue)
            guard status == 0 else {
                throw .privateKeyRejected(host: host, user: user, path: path, detail: lastError)
            }
        }
    }

    /// The methods the server accepts for `user`. Asking sends the "none" method, which a
    /// server may simply accept.
    private func offeredMethods() throws(SSHError) -> [String] {
        guard let list = libssh2_userauth_list(session, user, UInt32(user.utf8.count)) else {
            if libssh2_userauth_authenticated(session) != 0 { return [] }
            throw .authenticationFailed(host: host, user: user, detail: "could not ask for the accepted methods: \(lastError)")
        }
        return String(cString: list).split(separator: ",").map(String.init)
    }

    private func authenticate(password: Secret, offered: [String]) throws(SSHError) {
        let canPassword = offered.contains("password")
        let canKeyboard = offered.contains("keyboard-interactive")
        guard canPassword || canKeyboard else {
            throw .noUsableMethod(host: host, user: user, wanted: "password", offered: offered)
        }
        if canPassword {
            let secret = password.revealedValue
            let status = libssh2_userauth_password_ex(
                session, user, UInt32(user.utf8.count), secret, UInt32(secret.utf8.count), nil)
            if status == 0 { return }
            // Some PAM setups take the same password only through keyboard-interactive.
            guard status == LIBSSH2_ERROR_AUTHENTICATION_FAILED else {
                throw .authenticationFailed(host: host, user: user, detail: lastError)
            }
            if !canKeyboard { throw .passwordRejected(host: host, user: user) }
        }
        try authenticateKeyboardInteractive(password: password)
    }

    /// keyboard-interactive: the server sends prompts, a C callback answers them. The callback
    /// cannot capture, so it finds the password through the session's abstract pointer.
    private func authenticateKeyboardInteractive(password: Secret) throws(SSHError) {
        let context = KeyboardInteractiveContext(password: password)
        let abstract = libssh2_session_abstract(session)
        abstract?.pointee = Unmanaged.passUnretained(context).toOpaque()
        let status = withExtendedLifetime(context) {
            libssh2_userauth_keyboard_interactive_ex(session, user, UInt32(user.utf8.count), keyboardInteractiveResponder)
        }
        abstract?.pointee = nil
        if status == 0 { return }
        if status == LIBSSH2_ERROR_AUTHENTICATION_FAILED { throw .passwordRejected(host: host, user: user) }
        throw .authenticationFailed(host: host, user: user, detail: lastError)
    }
}

/// What the keyboard-interactive callback needs; lives for the duration of one auth call.
private final class KeyboardInteractiveContext {
    let password: Secret
    /// The password goes out once. A server that asks again after that has rejected it; we then
    /// answer empty so it gives up instead of counting more failed password tries.
    var passwordSent = false

    init(password: Secret) {
        self.password = password
    }
}

/// Answers every hidden prompt with the password and visible prompts with nothing.
/// libssh2 frees each response text, so each must be a fresh `strdup`. It may call this with
/// zero prompts (an info message); then there is nothing to answer.
private let keyboardInteractiveResponder: @convention(c) (
    UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, Int32, Int32,
    UnsafePointer<LIBSSH2_USERAUTH_KBDINT_PROMPT>?, UnsafeMutablePointer<LIBSSH2_USERAUTH_KBDINT_RESPONSE>?,
    UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> Void = { _, _, _, _, promptCount, prompts, responses, abstract in
    guard promptCount > 0, let prompts, let responses, let raw = abstract?.pointee else { return }
    let context = Unmanaged<KeyboardInteractiveContext>.fromOpaque(raw).takeUnretainedValue()
    for index in 0..<Int(promptCount) {
        var answer = ""
        if prompts[index].echo == 0 && !context.passwordSent {
            answer = context.password.revealedValue
            context.passwordSent = true
        }
        responses[index].text = strdup(answer)
        responses[index].length = UInt32(answer.utf8.count)
    }
}
