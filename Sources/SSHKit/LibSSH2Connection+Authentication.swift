import CLibSSH2
import Foundation
import GoldfleetSupport

extension LibSSH2Connection {
    /// Asks the server which methods it accepts, then uses the one that fits the credentials:
    /// password (falling back to keyboard-interactive), or a private key file.
    func authenticate(_ authentication: SSHAuthentication) throws(SSHError) {
        // C strings end at NUL: a password holding one would reach the server cut short (or,
        // with a byte count, followed by whatever memory comes next). Refused before any try.
        switch authentication {
        case .password(let secret) where secret.revealedValue.utf8.contains(0):
            throw .invalidInput(host: host, step: .authentication,
                                detail: "user \(user): the password contains a NUL byte, which SSH cannot send")
        case .privateKey(_, let passphrase?) where passphrase.revealedValue.utf8.contains(0):
            throw .invalidInput(host: host, step: .authentication,
                                detail: "user \(user): the key passphrase contains a NUL byte, which libssh2 cannot use")
        default:
            break
        }
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
            // Exactly the password's UTF-8 bytes, with their count.
            let secret = Array(password.revealedValue.utf8) + [0]
            let status = secret.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { text in
                    libssh2_userauth_password_ex(
                        session, user, UInt32(user.utf8.count), text.baseAddress, UInt32(text.count - 1), nil)
                }
            }
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
/// libssh2 frees each response text with `free`, so each is a fresh `malloc` holding exactly the
/// answer's bytes, `length` of them. It may call this with zero prompts (an info message); then
/// there is nothing to answer.
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
        let (text, length) = mallocCopy(Array(answer.utf8))
        responses[index].text = text
        responses[index].length = length
    }
}

/// A `malloc`ed copy of `bytes` (plus a NUL for readers that expect one) and their count.
func mallocCopy(_ bytes: [UInt8]) -> (UnsafeMutablePointer<CChar>?, UInt32) {
    guard let memory = malloc(bytes.count + 1)?.assumingMemoryBound(to: CChar.self) else { return (nil, 0) }
    bytes.withUnsafeBytes { source in
        if let base = source.baseAddress { memcpy(memory, base, bytes.count) }
    }
    memory[bytes.count] = 0
    return (memory, UInt32(bytes.count))
}
