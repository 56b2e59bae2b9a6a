import Yams

/// Turns a Yams parse failure into a positioned diagnostic.
enum YAMLSyntaxDiagnostic {
    static func make(from error: Error, yaml: String, file: String) -> Diagnostic {
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
            return diagnostic(context.mark, "duplicate \(noun) \(names) in one mapping",
                              hint: "a key may appear only once per mapping; merge the entries or rename one")
        default:
            return diagnostic(nil, "cannot parse YAML: \(yamlError)")
        }
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
