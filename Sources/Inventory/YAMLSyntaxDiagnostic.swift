import Yams

/// Turns a Yams parse failure (or a broken `YAMLLimits` limit) into a positioned diagnostic.
enum YAMLSyntaxDiagnostic {
    static func make(from error: Error, yaml: String, file: String) -> Diagnostic {
        if let violation = error as? YAMLLimits.Violation { return violation.diagnostic(file: file) }
        func diagnostic(_ mark: Mark?, _ message: String, hint: String? = nil) -> Diagnostic {
            located(mark.map { ($0.line, $0.column) }, message, hint: hint)
        }
        func located(_ position: (line: Int, column: Int)?, _ message: String, hint: String? = nil) -> Diagnostic {
            Diagnostic(severity: .error, file: file, line: position?.line, column: position?.column,
                       keyPath: "", message: message, hint: hint)
        }
        let syntaxHint = "check the indentation and quoting around this spot (values containing `: ` or `#` need quotes)"
        guard let yamlError = error as? YamlError else {
            return diagnostic(nil, "cannot parse YAML: \(error)")
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let while_ = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return diagnostic(mark, "YAML syntax error: \(problem)\(while_)", hint: syntaxHint)
        case .reader(let problem, let offset, _, _):
            return located(offset.map { position(atCharacterOffset: $0, in: yaml) },
                              "cannot read the file as YAML text: \(problem)",
                              hint: "save the file as UTF-8 text without control characters")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.map { "`\($0)`" }.joined(separator: ", ")
            let noun = duplicates.count == 1 ? "key" : "keys"
            let hint = "a key may appear only once per mapping; merge the entries or rename one"
            // Yams points at the first occurrence; the repeat is the line to fix.
            if duplicates.count == 1,
               let repeat_ = repeatedKey(duplicates[0], after: (context.mark.line, context.mark.column), in: yaml) {
                return located(repeat_, "duplicate key `\(duplicates[0])` (first at line \(context.mark.line))", hint: hint)
            }
            return diagnostic(context.mark, "duplicate \(noun) \(names) in one mapping", hint: hint)
        default:
            return diagnostic(nil, "cannot parse YAML: \(yamlError)")
        }
    }

    /// The next block-style `key:` at the same column after the first occurrence, if easy to find.
    static func repeatedKey(_ key: String, after first: (line: Int, column: Int), in text: String)
        -> (line: Int, column: Int)?
    {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line >= 1, first.line < lines.count else { return nil }
        let indent = String(repeating: " ", count: max(0, first.column - 1))
        let spellings = [key, "\"\(key)\"", "'\(key)'"]
        for index in first.line..<lines.count {
            let line = String(lines[index])
            guard line.hasPrefix(indent) else { continue }
            let rest = line.dropFirst(indent.count)
            for spelling in spellings where rest.hasPrefix(spelling) {
                let after = rest.dropFirst(spelling.count).drop { $0 == " " }
                if after.hasPrefix(":") { return (index + 1, first.column) }
            }
        }
        return nil
    }

    /// 1-based line/column (in Unicode scalars) of a character offset.
    static func position(atCharacterOffset offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for (position, character) in text.enumerated() {
            if position >= offset { break }
            if character == "\n" || character == "\r\n" {
                line += 1
                column = 1
            } else {
                column += character.unicodeScalars.count
            }
        }
        return (line, column)
    }
}
