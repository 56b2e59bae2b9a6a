import Foundation

/// What a helper program (ssh, ssh-keygen) left behind.
struct Captured {
    var exitCode: Int32
    var stdout: String
    var stderr: String
}

/// Runs a program to completion, feeding `input` on stdin and reading both pipes at once so
/// neither can fill up and stall it.
func capture(_ executable: String, _ arguments: [String], input: String? = nil) throws -> Captured {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = Pipe(), err = Pipe(), inp = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input == nil ? FileHandle.nullDevice : inp
    do { try process.run() } catch {
        throw Failure.failed("cannot run \(executable): \(error.localizedDescription)")
    }
    if let input {
        try? inp.fileHandleForWriting.write(contentsOf: Data(input.utf8))
        try? inp.fileHandleForWriting.close()
    }
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Captured(exitCode: process.terminationStatus,
                    stdout: String(decoding: outData, as: UTF8.self),
                    stderr: String(decoding: errData, as: UTF8.self))
}
