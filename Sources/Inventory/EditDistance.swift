/// "Did you mean …?" suggestions for misspelled keys and names.
enum EditDistance {
    /// Edit distance counting an adjacent swap as one edit (`wbe` → `web`), over Unicode scalars.
    static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }

    /// The closest candidate, if it is close enough to be a plausible typo (or differs only
    /// in `-`/`_`, a common slip between juju's kebab-case and our snake_case).
    static func suggestion(for word: String, among candidates: [String]) -> String? {
        let normalized = word.lowercased().replacingOccurrences(of: "-", with: "_")
        if let same = candidates.first(where: { $0.replacingOccurrences(of: "-", with: "_") == normalized }) {
            return same
        }
        // Long words are not typos, and a length difference beyond the limit already rules a
        // candidate out: both keep hostile input (huge names, thousands of them) cheap.
        guard word.unicodeScalars.count <= maximumWordLength else { return nil }
        let limit = max(1, min(3, word.count / 3))
        let length = word.unicodeScalars.count
        let scored = candidates.prefix(maximumCandidates)
            .filter { abs($0.unicodeScalars.count - length) <= limit }
            .map { ($0, between(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= limit else { return nil }
        return best.0
    }

    static let maximumWordLength = 64
    static let maximumCandidates = 200

    /// Names for a hint, at most a dozen of them.
    static func list(_ names: [String]) -> String {
        let shown = names.prefix(12).joined(separator: ", ")
        return names.count > 12 ? "\(shown), … (\(names.count) in all)" : shown
    }
}
