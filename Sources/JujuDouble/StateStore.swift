import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The double's "controller": model files under `$JUJU_DATA/double/`, guarded by one `flock`
/// because goldfleet runs several `juju add-machine` processes at once.
struct StateStore {
    let jujuData: String
    var root: String { "\(jujuData)/double" }
    var modelsDirectory: String { "\(root)/models" }
    var currentModelFile: String { "\(root)/current-model" }

    /// Runs `body` holding the exclusive lock (blocking until the other processes are done).
    func locked<T>(_ body: () throws -> T) throws -> T {
        try FileManager.default.createDirectory(atPath: modelsDirectory, withIntermediateDirectories: true)
        let fd = open("\(root)/lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure.failed("cannot open \(root)/lock: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw Failure.failed("cannot lock \(root)/lock: \(String(cString: strerror(errno)))") }
        }
        defer { flock(fd, LOCK_UN) }
        try bootstrapIfNeeded()
        return try body()
    }

    /// A fresh controller has the `controller` and `default` models, like `juju bootstrap` leaves.
    private func bootstrapIfNeeded() throws {
        guard !FileManager.default.fileExists(atPath: currentModelFile) else { return }
        for name in ["controller", "default"] where !modelExists(name) { try save(ModelState(name: name)) }
        try Data("default".utf8).write(to: URL(fileURLWithPath: currentModelFile), options: .atomic)
    }

    func modelNames() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: modelsDirectory)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    func modelExists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(of: name)) }

    func currentModel() -> String? {
        (try? String(contentsOfFile: currentModelFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func setCurrentModel(_ name: String) throws {
        try Data(name.utf8).write(to: URL(fileURLWithPath: currentModelFile), options: .atomic)
    }

    func load(_ name: String) throws -> ModelState {
        guard let data = FileManager.default.contents(atPath: path(of: name)) else {
            throw Failure.failed("model \(JujuDouble.controllerName):admin/\(name) not found")
        }
        return try Self.decoder.decode(ModelState.self, from: data)
    }

    /// Writes atomically (temp file + rename) so a crash never leaves half a model.
    func save(_ model: ModelState) throws {
        let data = try Self.encoder.encode(model)
        try data.write(to: URL(fileURLWithPath: path(of: model.name)), options: .atomic)
    }

    /// Loads, changes and saves one model under the lock.
    func update<T>(_ name: String, _ change: (inout ModelState) throws -> T) throws -> T {
        try locked {
            var model = try load(name)
            let result = try change(&model)
            try save(model)
            return result
        }
    }

    private func path(of name: String) -> String { "\(modelsDirectory)/\(name).json" }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }
}
