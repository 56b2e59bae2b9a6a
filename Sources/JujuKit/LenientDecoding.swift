/// Reading juju's `--format=json` output: goldfleet decodes only the fields it uses, and a field
/// whose shape is not the one expected reads as absent instead of failing the whole read. Juju
/// changes shapes between lines (2.9's `relations: {"ep": ["app"]}` became 3.x's
/// `[{"related-application": "app", …}]`), and a change elsewhere must never break `up`.
extension KeyedDecodingContainer {
    /// The value at `key`, or nil when it is absent, null or of another shape.
    func lenient<T: Decodable>(_ type: T.Type, forKey key: Key) -> T? {
        (try? decodeIfPresent(type, forKey: key)) ?? nil
    }

    /// A JSON object of entries at `key`; entries of another shape are left out.
    func lenientEntries<T: Decodable>(_ type: T.Type, forKey key: Key) -> [String: T] {
        lenient(LenientEntries<T>.self, forKey: key)?.values ?? [:]
    }
}

/// A JSON object whose values are decoded one by one; a value that does not decode is skipped.
struct LenientEntries<Value: Decodable>: Decodable {
    var values: [String: Value] = [:]

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        for key in container.allKeys {
            if let value = container.lenient(Value.self, forKey: key) { values[key.stringValue] = value }
        }
    }
}
