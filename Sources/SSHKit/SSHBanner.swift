import NIOCore
import NIOPosix

/// The identification line sshd sends first (`SSH-2.0-OpenSSH_9.2p1 …`, RFC 4253 §4.2): proof
/// that sshd itself answers, not only that something accepts TCP on port 22. No login, no
/// secrets, milliseconds: what a converged `up` and `status` check on every machine.
public enum SSHBanner {
    public struct Unanswered: Error, CustomStringConvertible {
        public let description: String
    }

    /// The banner of `host:port`, or `Unanswered` saying what was seen instead.
    public static func read(host: String, port: Int = 22, timeout: TimeAmount = .seconds(3)) async throws -> String {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let banner = loop.makePromise(of: String.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: loop)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(BannerReader(banner: banner))
                    }
                }
                .connect(host: host, port: port).get()
        } catch {
            banner.fail(error)
            throw Unanswered(description: "no TCP connection to \(host):\(port) (\(error))")
        }
        // Failing a completed promise does nothing: whichever comes first wins.
        let timer = loop.scheduleTask(in: timeout) {
            banner.fail(Unanswered(description: "\(host):\(port) accepted the connection but sent no SSH banner within \(timeout.nanoseconds / 1_000_000) ms"))
        }
        defer {
            timer.cancel()
            channel.close(promise: nil)
        }
        return try await banner.futureResult.get()
    }

    /// Collects bytes until the `SSH-` line (servers may send other lines before it).
    private final class BannerReader: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        /// More than this without a banner is not sshd.
        static let limit = 8192
        let banner: EventLoopPromise<String>
        var received: [UInt8] = []

        init(banner: EventLoopPromise<String>) { self.banner = banner }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            received += unwrapInboundIn(data).readableBytesView
            while let newline = received.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(received[..<newline])
                received.removeSubrange(...newline)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                if line.starts(with: "SSH-".utf8) {
                    banner.succeed(String(decoding: line, as: UTF8.self))
                    return
                }
            }
            if received.count > Self.limit {
                banner.fail(Unanswered(description: "no SSH banner in the first \(Self.limit) bytes"))
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            banner.fail(Unanswered(description: "the connection closed before an SSH banner"))
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            banner.fail(error)
            context.close(promise: nil)
        }
    }
}
