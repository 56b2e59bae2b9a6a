/// The order the syncs make and remove directories in: a directory before what it holds.
enum PathOrder {
    /// `a/b` after `a`; paths of one depth by name. Reversed (`parentsFirst($1, $0)`), children
    /// come first, as removing directories needs.
    static func parentsFirst(_ a: String, _ b: String) -> Bool {
        let (depthA, depthB) = (a.split(separator: "/").count, b.split(separator: "/").count)
        return depthA != depthB ? depthA < depthB : a < b
    }
}
