/// Runs `body` for every item with at most `limit` running at once, and returns the results in
/// the items' order. Once the calling task is cancelled no new item is started; those get
/// `whenCancelled(item)` instead.
public func mapConcurrently<Item: Sendable, Result: Sendable>(
    _ items: [Item], limit: Int,
    whenCancelled: @Sendable (Item) -> Result,
    _ body: @escaping @Sendable (Item) async -> Result
) async -> [Result] {
    await withTaskGroup(of: (Int, Result).self) { group in
        var results = [Result?](repeating: nil, count: items.count)
        var next = 0
        func startNext() {
            let index = next
            let item = items[index]
            next += 1
            group.addTask { (index, await body(item)) }
        }
        while next < items.count && next < max(1, limit) { startNext() }
        while let (index, result) = await group.next() {
            results[index] = result
            if next < items.count && !Task.isCancelled { startNext() }
        }
        for index in results.indices where results[index] == nil {
            results[index] = whenCancelled(items[index])
        }
        return results.map { $0! }
    }
}
