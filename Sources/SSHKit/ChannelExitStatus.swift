import CLibSSH2
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Tells "the server reported exit status 0" from "the server reported no exit status".
///
/// `libssh2_channel_get_exit_status` returns 0 in both cases, and libssh2 up to 1.11.1 has no
/// call that says whether an `exit-status` request arrived (upstream later added
/// `libssh2_channel_has_exit_status`). When the running libssh2 has that call we use it.
/// Otherwise, for the released versions whose channel struct we know (1.9.0 to 1.11.1, checked
/// at run time), we put a sentinel into the channel's `exit_status` field right after opening
/// it: libssh2 overwrites the field only when an `exit-status` request arrives. For any other
/// libssh2 the answer is "unknown" and the caller falls back to the reported value.
enum ChannelExitStatus {
    /// A status no real command reports (OpenSSH sends 0...255); a server sending exactly this
    /// value is treated as "no status", which is a failure either way.
    static let sentinel = Int32.min

    /// What arrived for a channel, as far as this libssh2 can tell.
    enum Arrival: Equatable {
        case status(Int32)
        case none
        /// This libssh2 cannot tell 0 from "nothing": the reported value.
        case unknown(Int32)
    }

    /// Call right after `libssh2_channel_open_ex`, before the command starts. Returns whether
    /// arrival can be told for this channel.
    @discardableResult
    static func arm(_ channel: OpaquePointer) -> Bool {
        if hasExitStatus != nil { return true }
        guard let field = exitStatusField(channel), field.pointee == 0 else { return false }
        field.pointee = sentinel
        return true
    }

    static func arrival(_ channel: OpaquePointer, armed: Bool) -> Arrival {
        let reported = libssh2_channel_get_exit_status(channel)
        guard armed else { return .unknown(reported) }
        if let hasExitStatus { return hasExitStatus(channel) != 0 ? .status(reported) : .none }
        return reported == sentinel ? .none : .status(reported)
    }

    // MARK: libssh2 internals, verified before use

    private typealias HasExitStatus = @convention(c) (OpaquePointer?) -> Int32

    /// `libssh2_channel_has_exit_status`, when the loaded libssh2 exports it.
    private static var hasExitStatus: HasExitStatus? {
        guard let address = hasExitStatusAddress, let symbol = UnsafeRawPointer(bitPattern: address) else { return nil }
        return unsafeBitCast(symbol, to: HasExitStatus.self)
    }

    /// Its address, looked up once (an integer, so the constant is Sendable).
    private static let hasExitStatusAddress: UInt? = {
        guard let handle = dlopen(nil, RTLD_NOW),
              let symbol = dlsym(handle, "libssh2_channel_has_exit_status") else { return nil }
        return UInt(bitPattern: symbol)
    }()

    /// Byte offset of `exit_status` in `struct _LIBSSH2_CHANNEL` for the loaded libssh2:
    /// `struct list_node` (three pointers), `unsigned char *channel_type`, then
    /// `channel_type_len` (`unsigned` up to 1.11.0, `size_t` in 1.11.1), then `int exit_status`.
    private static let exitStatusOffset: Int? = {
        guard let text = libssh2_version(0) else { return nil }
        let parts = String(cString: text).split(separator: ".").map { Int($0) ?? -1 }
        guard parts.count >= 3 else { return nil }
        let version = parts[0] * 10_000 + parts[1] * 100 + parts[2]
        let pointer = MemoryLayout<UnsafeRawPointer>.size
        switch version {
        case 10_900...11_100: return 4 * pointer + MemoryLayout<UInt32>.size
        case 11_101: return 4 * pointer + MemoryLayout<Int>.size
        default: return nil
        }
    }()

    /// The field, after checking the layout guess on this very channel: `channel_type` (not
    /// NUL-terminated) and its length must say "session", what `execute` opens.
    private static func exitStatusField(_ channel: OpaquePointer) -> UnsafeMutablePointer<Int32>? {
        guard let offset = exitStatusOffset else { return nil }
        let base = UnsafeMutableRawPointer(channel)
        let pointer = MemoryLayout<UnsafeRawPointer>.size
        let length = base.load(fromByteOffset: 4 * pointer, as: UInt32.self)  // low half when size_t (little-endian)
        guard length == 7, 1.littleEndian == 1,
              let type = base.load(fromByteOffset: 3 * pointer, as: UnsafeRawPointer?.self),
              memcmp(type, "session", 7) == 0 else { return nil }
        return (base + offset).assumingMemoryBound(to: Int32.self)
    }
}
