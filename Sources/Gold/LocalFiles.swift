import Foundation

/// Reading local files off Swift's cooperative pool (file I/O blocks).
enum LocalFiles {
    /// Names of the regular files directly in `directory`, sorted.
    static func regularFiles(in directory: String) async throws -> [String] {
        try await offPool {
            let manager = FileManager.default
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw GoldError("the wheelhouse \(directory) is not a directory", hint: "name a local directory of .whl files with --wheelhouse")
            }
            return try manager.contentsOfDirectory(atPath: directory).filter { name in
                var isDirectory: ObjCBool = false
                return manager.fileExists(atPath: directory + "/" + name, isDirectory: &isDirectory) && !isDirectory.boolValue
            }.sorted()
        }
    }

    static func read(_ path: String) async throws -> [UInt8] {
        try await offPool {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw GoldError("cannot read \(path)", hint: "check that it exists and is readable")
            }
            return [UInt8](data)
        }
    }

    private static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }
}
