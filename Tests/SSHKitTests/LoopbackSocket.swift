import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP socket bound to a free loopback port, for the SSH tests' stand-ins for sshd.
enum LoopbackSocket {
    struct Failure: Error, CustomStringConvertible { let description: String }

    /// `listening: false` binds the port without listening: a connect to it is refused.
    static func bind(listening: Bool = true, backlog: Int32 = 64) throws -> (socket: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                Glibc.bind(fd, generic, length) == 0 && (!listening || listen(fd, backlog) == 0)
                    && getsockname(fd, generic, &length) == 0
            }
        }
        guard fd >= 0, bound else {
            if fd >= 0 { close(fd) }
            throw Failure(description: "cannot bind a loopback port")
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}
