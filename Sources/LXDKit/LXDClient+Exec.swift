import GoldfleetSupport

extension LXDClient {
    /// Runs a command in a running instance as root, without a terminal, and returns its exit
    /// code and output. LXD records the output to log files (`record-output`), which are read
    /// and then removed.
    public func exec(instance: String, command: [String], environment: [String: String] = [:]) async throws -> LXDExecResult {
        let action = "running `\(Command.quotedLine(command))` in instance \(instance)"
        struct Request: Encodable {
            var command: [String]
            var environment: [String: String]
            var waitForWebsocket = false
            var interactive = false
            var recordOutput = true
            enum CodingKeys: String, CodingKey {
                case command, environment, interactive
                case waitForWebsocket = "wait-for-websocket", recordOutput = "record-output"
            }
        }
        guard let operation = try await operate(
            LXDExecOperationMetadata.self, .POST, LXDPath("instances", instance, "exec"),
            body: .encode(Request(command: command, environment: environment)), action: action, failureIsError: false
        ) else {
            throw LXDError(kind: .invalidResponse, action: action, endpoint: endpoint.description, detail: "exec did not start an operation")
        }
        // A command that cannot start (not found: 127, not executable: 126) fails the operation
        // but still has an exit code; anything else without one is a real failure.
        guard let code = operation.metadata?.return else {
            throw LXDError.fromLXD(message: operation.err ?? operation.status, statusCode: operation.statusCode, action: action,
                                   endpoint: endpoint.description)
        }
        let logs = operation.metadata?.output ?? [:]
        async let stdout = log(logs["1"], action: action)
        async let stderr = log(logs["2"], action: action)
        var errorText = try await stderr
        if !operation.succeeded, let message = operation.err, !message.isEmpty, errorText.isEmpty {
            errorText = message + "\n"
        }
        return LXDExecResult(exitCode: Int32(truncatingIfNeeded: code), stdout: try await stdout, stderr: errorText)
    }

    /// Reads one recorded output log and deletes it so logs do not pile up in the instance.
    private func log(_ path: String?, action: String) async throws -> String {
        guard let path else { return "" }
        let response = try await perform(.GET, LXDPath(returnedByServer: path), action: action)
        if response.status == 404 { return "" }
        if response.status >= 400 { _ = try decode(LXDIgnored.self, from: response, action: action) }
        _ = try? await perform(.DELETE, LXDPath(returnedByServer: path), action: action)
        return String(decoding: response.body, as: UTF8.self)
    }
}

extension Command {
    /// A shell-like rendering of an argument vector, for messages.
    static func quotedLine(_ words: [String]) -> String {
        words.map { quoted($0) }.joined(separator: " ")
    }
}
