import CLibSSH2
import Foundation

extension LibSSH2Connection {
    /// Bytes the server may send before we must read (our receive window), and the largest packet.
    private static let channelWindow: UInt32 = 4 * 1024 * 1024
    private static let channelPacket: UInt32 = 32 * 1024
    private static let stderrStream: Int32 = 1  // SSH_EXTENDED_DATA_STDERR

    /// Runs `command` through the user's shell, feeding `stdin`, and collects stdout, stderr and
    /// the exit status. Both streams are read in one non-blocking loop, so a command that floods
    /// stderr while we wait for stdout (or the other way round) cannot stall on a full window.
    /// Success needs an exit-status of 0 from the server: a channel that ends without an
    /// exit-status or exit-signal is `noExitStatus`, never "exit 0".
    func execute(_ command: String, stdin: [UInt8]?, timeout: Duration) throws(SSHError) -> SSHExecResult {
        guard !isClosed else { throw .sessionClosed(host: host, step: .exec) }
        let deadline = ContinuousClock.now + timeout
        guard let channel = libssh2_channel_open_ex(
            session, "session", 7, Self.channelWindow, Self.channelPacket, nil, 0)
        else {
            throw .execFailed(host: host, command: command, detail: "could not open a channel: \(lastError)")
        }
        // After a timeout the command may still run, and sshd only confirms the close when it
        // exits; free with a short timeout rather than wait for that (libssh2 1.10 cannot send
        // a signal). A channel that times out here is released with the session.
        var quickRelease = false
        defer {
            if quickRelease { setTimeout(.seconds(1)) }
            libssh2_channel_free(channel)
            if quickRelease { restoreIOTimeout() }
        }

        let armed = ChannelExitStatus.arm(channel)
        let started = libssh2_channel_process_startup(channel, "exec", 4, command, UInt32(command.utf8.count))
        guard started == 0 else {
            throw .execFailed(host: host, command: command, detail: "the server refused to start it: \(lastError)")
        }

        var output = [UInt8](), errors = [UInt8]()
        var outcome = pump(channel, stdin: stdin ?? [], deadline: deadline, stdout: &output, stderr: &errors)
        // The server's EOF only says the command closed its output; it may still run. Its
        // exit-status (or exit-signal) comes later, before the server closes the channel.
        if case .finished = outcome { outcome = awaitExit(channel, armed: armed, deadline: deadline) }
        libssh2_session_set_blocking(session, 1)
        switch outcome {
        case .finished:
            break
        case .timedOut:
            quickRelease = true
            throw .commandTimedOut(host: host, command: command, timeout: timeout)
        case .failed(let detail):
            quickRelease = true
            throw .execFailed(host: host, command: command, detail: detail)
        }

        // Order: (EOF sent and received above) close, wait for the server's close, then read.
        let closed = libssh2_channel_close(channel) == 0 && libssh2_channel_wait_closed(channel) == 0
        let closeError = closed ? nil : lastError
        let signal = exitSignal(channel)
        switch ChannelExitStatus.arrival(channel, armed: armed) {
        case .status(let status):
            return SSHExecResult(exitStatus: signal == nil ? status : -1, exitSignal: signal,
                                 stdoutBytes: output, stderrBytes: errors)
        case .unknown(let status) where closed || signal != nil || status != 0:
            return SSHExecResult(exitStatus: signal == nil ? status : -1, exitSignal: signal,
                                 stdoutBytes: output, stderrBytes: errors)
        case .none where signal != nil:
            return SSHExecResult(exitStatus: -1, exitSignal: signal, stdoutBytes: output, stderrBytes: errors)
        case .none, .unknown:
            quickRelease = !closed
            throw .noExitStatus(host: host, command: command, detail: closeError)
        }
    }

    /// After the server's EOF: reads until the exit-status or exit-signal arrives or the server
    /// closes the channel (`wait_closed` in non-blocking mode reads packets and says when), or
    /// the deadline passes while the command still runs.
    private func awaitExit(_ channel: OpaquePointer, armed: Bool, deadline: ContinuousClock.Instant) -> PumpOutcome {
        while true {
            if case .status = ChannelExitStatus.arrival(channel, armed: armed) { return .finished }
            // 0: the server closed the channel, nothing more can come. Another error (the
            // connection died, or a CLOSE without EOF) also ends the wait; what arrived decides.
            let status = libssh2_channel_wait_closed(channel)
            if status != LIBSSH2_ERROR_EAGAIN { return .finished }
            if ContinuousClock.now >= deadline { return .timedOut }
            waitForSocket(until: deadline)
        }
    }

    private enum PumpOutcome { case finished, timedOut, failed(String) }

    /// The non-blocking I/O loop: write stdin, read stdout and stderr, and when none of them can
    /// make progress, wait on the socket in the direction libssh2 needs.
    private func pump(_ channel: OpaquePointer, stdin: [UInt8], deadline: ContinuousClock.Instant,
                      stdout: inout [UInt8], stderr: inout [UInt8]) -> PumpOutcome {
        libssh2_session_set_blocking(session, 0)
        let bufferSize = 64 * 1024
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: bufferSize)
        defer { buffer.deallocate() }
        var stdinOffset = 0
        var eofSent = false

        while true {
            var progressed = false

            if !eofSent {
                if stdinOffset < stdin.count {
                    let written = stdin.withUnsafeBytes { bytes in
                        libssh2_channel_write_ex(
                            channel, 0, bytes.baseAddress!.assumingMemoryBound(to: CChar.self) + stdinOffset,
                            min(stdin.count - stdinOffset, bufferSize))
                    }
                    if written > 0 {
                        stdinOffset += written
                        progressed = true
                    } else if written < 0 && written != Int(LIBSSH2_ERROR_EAGAIN) {
                        // The command stopped reading (exited or closed stdin): its output
                        // and exit status still tell what happened.
                        eofSent = true
                        continue
                    }
                }
                if stdinOffset >= stdin.count {
                    let status = libssh2_channel_send_eof(channel)
                    if status == 0 {
                        eofSent = true
                        progressed = true
                    } else if status != LIBSSH2_ERROR_EAGAIN {
                        eofSent = true
                    }
                }
            }

            for (stream, isError) in [(Int32(0), false), (Self.stderrStream, true)] {
                let count = libssh2_channel_read_ex(channel, stream, buffer, bufferSize)
                if count > 0 {
                    let bytes = UnsafeRawBufferPointer(start: buffer, count: count)
                    if isError { stderr.append(contentsOf: bytes) } else { stdout.append(contentsOf: bytes) }
                    progressed = true
                } else if count < 0 && count != Int(LIBSSH2_ERROR_EAGAIN) {
                    return .failed("reading its output: \(lastError)")
                }
            }

            if progressed { continue }
            // EOF is only reported once no data for the channel is left queued.
            if libssh2_channel_eof(channel) != 0 { return .finished }
            if ContinuousClock.now >= deadline { return .timedOut }
            waitForSocket(until: deadline)
        }
    }

    private func exitSignal(_ channel: OpaquePointer) -> String? {
        var name: UnsafeMutablePointer<CChar>?
        var length = 0
        guard libssh2_channel_get_exit_signal(channel, &name, &length, nil, nil, nil, nil) == 0,
              let name else { return nil }
        defer { libssh2_free(session, name) }
        return length > 0 ? String(decoding: UnsafeRawBufferPointer(start: name, count: length), as: UTF8.self) : nil
    }
}
