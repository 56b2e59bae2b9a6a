internal import CYaml
import GoldfleetSupport
import Yams

/// Composes YAML into Yams nodes within limits a hostile file cannot get past.
///
/// Composing is where such a file costs time: an alias is a reference, but hashing or walking
/// the tree expands it, and aliases of aliases multiply (a "billion laughs" bomb). `Yams.compose`
/// hashes every mapping key, expanded, to find duplicates, so a bomb used as a key hangs it; and
/// it resolves each key's type with regular expressions, which dominates large files. This
/// composer reads libyaml's events itself, in one pass: it counts bytes, nodes, nesting depth
/// and the nodes aliases expand to, refusing past a limit with the line; and it finds duplicate
/// keys with one hash lookup of the key's text. The tree it returns is what Yams would build.
enum YAMLLimits {
    /// Inputs larger than this are refused unread (an inventory or a bundle is a few kilobytes).
    static let maximumBytes = 10 * 1024 * 1024
    /// Nodes in the document, aliases expanded; keeps every accepted file quick to validate.
    static let maximumNodes = 150_000
    /// Nodes that all aliases together may expand to.
    static let maximumAliasExpansion = 10_000
    /// Mappings and lists inside each other; deeper input is refused, not recursed into.
    static let maximumDepth = 64

    static var maximumBytesDescription: String { InputFile.size(maximumBytes) }

    /// Why the text was not composed, located where the problem is.
    struct Violation: Error, Equatable {
        var line: Int?
        var column: Int?
        var message: String
        var hint: String

        func diagnostic(file: String) -> Diagnostic {
            Diagnostic(severity: .error, file: file, line: line, column: column, keyPath: "",
                       message: message, hint: hint)
        }
    }

    static let syntaxHint = "check the indentation and quoting around this spot (values containing `: ` or `#` need quotes)"

    /// The single document in `yaml` (`nil` when there is none), like `Yams.compose`.
    static func compose(yaml: String) throws -> Node? {
        let size = yaml.utf8.count
        if size > maximumBytes {
            throw Violation(
                line: nil, column: nil,
                message: "the input is \(size) bytes; goldfleet reads YAML of at most \(maximumBytesDescription) (\(maximumBytes) bytes)",
                hint: "an inventory or bundle is a few kilobytes; check that this is the file you meant")
        }
        var text = yaml
        let result = text.withUTF8 { bytes -> Result<Node?, Violation> in
            var composer = Composer(buildsNodes: MarkLayout.isExact)
            return composer.compose(bytes)
        }
        let root = try result.get()
        // Without exact marks the limits are still checked; Yams then builds the tree.
        return MarkLayout.isExact ? root : try Yams.compose(yaml: yaml)
    }

    /// One container being read.
    private struct Open {
        var isMapping: Bool
        var anchor: String?
        var tag: Tag
        var style: UInt32
        var mark: Mark?
        var size = 1
        /// Children; for a mapping, keys and values alternate.
        var items: [Node] = []
        /// Scalar keys seen → line of their first occurrence.
        var keys: [String: Int] = [:]
    }

    private struct Composer {
        let buildsNodes: Bool
        /// One for all tags: `Constructor.default` builds a new one, with its tables, per call.
        let constructor = Constructor.default
        var stack: [Open] = []
        /// Anchor → the node it names, its expanded size, and its text when it is a scalar.
        var anchors: [String: (node: Node, size: Int, scalar: String?)] = [:]
        var nodes = 0
        var expanded = 0
        var root: Node?
        var documents = 0

        mutating func compose(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<Node?, Violation> {
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else {
                return .failure(Violation(line: nil, column: nil, message: "the YAML parser could not start", hint: "try again"))
            }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return .failure(Self.syntaxError(parser, bytes)) }
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line) + 1, column = Int(event.start_mark.column) + 1
                let violation: Violation?
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return .success(root)
                case YAML_DOCUMENT_START_EVENT:
                    documents += 1
                    violation = documents > 1 ? Violation(
                        line: line, column: column, message: "the file holds more than one YAML document",
                        hint: "keep one document: remove the `---` line and what follows, or split the file") : nil
                case YAML_SCALAR_EVENT:
                    let scalar = event.data.scalar
                    var value = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
                    // Yams decodes scalars with Foundation, which drops a leading byte-order mark: so do we.
                    if value.unicodeScalars.first == "\u{FEFF}" { value.unicodeScalars.removeFirst() }
                    let tag = scalar.quoted_implicit == 1 ? Tag(.str, .default, constructor) : tag(scalar.tag)
                    let style = Node.Scalar.Style(rawValue: numericCast(scalar.style.rawValue)) ?? .any
                    let node = buildsNodes ? Node.scalar(.init(value, tag, style, MarkLayout.mark(line, column))) : Self.placeholder
                    if let anchor = Self.text(scalar.anchor) { anchors[anchor] = (node, 1, value) }
                    violation = add(node, size: 1, new: 1, key: value, line: line, column: column)
                case YAML_ALIAS_EVENT:
                    let name = Self.text(event.data.alias.anchor) ?? ""
                    guard let target = anchors[name] else {
                        return .failure(Violation(line: line, column: column, message: "YAML syntax error: found undefined alias",
                                                  hint: "define the anchor `&\(name)` before the alias `*\(name)` uses it"))
                    }
                    expanded += target.size
                    if expanded > maximumAliasExpansion {
                        return .failure(Violation(
                            line: line, column: column,
                            message: "alias `*\(name)` expands the document past \(maximumAliasExpansion) nodes reached through aliases",
                            hint: "aliases of aliases multiply; write the repeated values out, or use fewer aliases"))
                    }
                    violation = add(target.node, size: target.size, new: target.size, key: target.scalar, line: line, column: column)
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    if stack.count >= maximumDepth {
                        return .failure(Violation(
                            line: line, column: column,
                            message: "mappings and lists are nested more than \(maximumDepth) levels deep",
                            hint: "an inventory or bundle needs a few levels; flatten the structure"))
                    }
                    let isMapping = event.type == YAML_MAPPING_START_EVENT
                    let start = isMapping ? event.data.mapping_start : nil
                    let sequence = isMapping ? nil : event.data.sequence_start
                    stack.append(Open(
                        isMapping: isMapping,
                        anchor: Self.text(start?.anchor ?? sequence?.anchor),
                        tag: (start?.implicit ?? sequence?.implicit ?? 1) != 0 ? Tag(.implicit, .default, constructor) : tag(start?.tag ?? sequence?.tag),
                        style: numericCast(start?.style.rawValue ?? sequence?.style.rawValue ?? 0),
                        mark: MarkLayout.mark(line, column)))
                    violation = nil
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let done = stack.popLast() else { return .failure(Violation(line: line, column: column, message: "YAML syntax error: unbalanced collection", hint: YAMLLimits.syntaxHint)) }
                    let node = buildsNodes ? Self.node(done) : Self.placeholder
                    if let anchor = done.anchor { anchors[anchor] = (node, done.size, nil) }
                    // Its children were counted as they came; only the container itself is new.
                    violation = add(node, size: done.size, new: 1, key: nil, line: nil, column: nil)
                default:
                    violation = nil
                }
                if let violation { return .failure(violation) }
            }
        }

        /// Adds a finished node of `size` nodes (aliases expanded) to its parent, or makes it the
        /// root; `new` of them are counted against the node limit now. A scalar in key position is
        /// checked for a repeat.
        mutating func add(_ node: Node, size: Int, new: Int, key: String?, line: Int?, column: Int?) -> Violation? {
            nodes += new
            if nodes > maximumNodes {
                return Violation(line: line ?? stack.last?.mark?.line, column: line == nil ? stack.last?.mark?.column : column,
                                 message: "the document has more than \(maximumNodes) values (aliases expanded); goldfleet reads at most that many",
                                 hint: "an inventory or bundle has a few hundred; check that this is the file you meant")
            }
            guard !stack.isEmpty else {
                root = node
                return nil
            }
            let top = stack.count - 1
            stack[top].size += size
            let isKey = stack[top].isMapping && stack[top].items.count % 2 == 0
            if buildsNodes || stack[top].isMapping { stack[top].items.append(node) }
            guard isKey, let key, let line else { return nil }
            if let first = stack[top].keys[key] {
                return Violation(
                    line: line, column: column, message: "duplicate key `\(key)` (first at line \(first))",
                    hint: "a key may appear only once per mapping; merge the entries or rename one")
            }
            stack[top].keys[key] = line
            return nil
        }

        static var placeholder: Node { .scalar(.init("")) }

        static func node(_ open: Open) -> Node {
            if open.isMapping {
                var pairs: [(Node, Node)] = []
                pairs.reserveCapacity(open.items.count / 2)
                var index = 0
                while index + 1 < open.items.count {
                    pairs.append((open.items[index], open.items[index + 1]))
                    index += 2
                }
                return .mapping(.init(pairs, open.tag, Node.Mapping.Style(rawValue: open.style) ?? .any, open.mark))
            }
            return .sequence(.init(open.items, open.tag, Node.Sequence.Style(rawValue: open.style) ?? .any, open.mark))
        }

        func tag(_ pointer: UnsafeMutablePointer<UInt8>?) -> Tag {
            Tag(Self.text(pointer).map(Tag.Name.init(rawValue:)) ?? .implicit, .default, constructor)
        }

        static func text(_ pointer: UnsafeMutablePointer<UInt8>?) -> String? {
            guard let pointer else { return nil }
            return String(cString: pointer)
        }

        /// libyaml's error, worded as Yams words it (`YAMLSyntaxDiagnostic`).
        static func syntaxError(_ parser: yaml_parser_t, _ bytes: UnsafeBufferPointer<UInt8>) -> Violation {
            let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
            switch parser.error {
            case YAML_READER_ERROR:
                let (line, column) = position(ofByte: Int(parser.problem_offset), in: bytes)
                return Violation(line: line, column: column, message: "cannot read the file as YAML text: \(problem)",
                                 hint: "save the file as UTF-8 text without control characters")
            case YAML_MEMORY_ERROR:
                return Violation(line: nil, column: nil, message: "the YAML parser ran out of memory", hint: "check that this is the file you meant")
            default:
                let while_ = parser.context.map {
                    " (\(String(cString: $0)) at line \(parser.context_mark.line + 1), column \(parser.context_mark.column + 1))"
                } ?? ""
                return Violation(line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1,
                                 message: "YAML syntax error: \(problem)\(while_)", hint: YAMLLimits.syntaxHint)
            }
        }

        /// 1-based line and column (in Unicode scalars, as libyaml counts) of a byte offset.
        static func position(ofByte offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
            var line = 1, column = 1
            for byte in bytes.prefix(offset) {
                if byte == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else if byte & 0xC0 != 0x80 {
                    column += 1
                }
            }
            return (line, column)
        }
    }

    /// Yams gives `Mark` no public initialiser; it is two `Int`s, so one is made from a struct
    /// of the same layout. `isExact` proves the layout once against a mark Yams itself made;
    /// should a Yams release change it, `compose` falls back to `Yams.compose` (slower, same tree).
    struct MarkLayout {
        var line: Int
        var column: Int

        static func mark(_ line: Int, _ column: Int) -> Mark? {
            guard isExact else { return nil }
            return unsafeBitCast(MarkLayout(line: line, column: column), to: Mark.self)
        }

        static let isExact: Bool = {
            guard MemoryLayout<Mark>.size == MemoryLayout<MarkLayout>.size,
                  MemoryLayout<Mark>.alignment == MemoryLayout<MarkLayout>.alignment,
                  case .mapping(let mapping)? = try? Yams.compose(yaml: "a:\n  bb: c\n"),
                  case .mapping(let inner)? = mapping.first?.value,
                  let real = inner.first?.value.mark
            else { return false }
            let made = unsafeBitCast(MarkLayout(line: 2, column: 7), to: Mark.self)
            return real.line == 2 && real.column == 7 && made.line == real.line && made.column == real.column
        }()
    }
}
