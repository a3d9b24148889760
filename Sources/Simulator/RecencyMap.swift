/// A dictionary that holds at most `capacity` entries: past it, the least recently used entry is forgotten.
/// Setting a value or ``touch(_:)`` makes an entry the most recent; reading it through the subscript does not.
/// Used as a ring of the newest entries (never touched) and as a least-recently-used set (touched on use).
/// Every operation is O(1) amortised.
package struct RecencyMap<Key: Hashable, Value> {
    private var entries: [Key: (value: Value, stamp: UInt64)] = [:]
    /// Keys in the order they were last used, oldest first from `head`; an element whose stamp no longer
    /// matches its entry's is stale and skipped.
    private var order: [(key: Key, stamp: UInt64)] = []
    private var head = 0
    private var nextStamp: UInt64 = 0
    /// The most entries kept.
    package private(set) var capacity: Int

    /// Creates an empty map that keeps at most `capacity` entries (at least 0).
    package init(capacity: Int) {
        self.capacity = max(capacity, 0)
    }

    /// The number of entries.
    package var count: Int { entries.count }

    /// The value for `key`, without changing how recent it is.
    package subscript(key: Key) -> Value? {
        entries[key]?.value
    }

    /// Every value, in no particular order.
    package var values: [Value] { entries.values.map(\.value) }

    /// Marks `key` as just used and returns its value; nil (and nothing changes) when it is absent.
    @discardableResult
    package mutating func touch(_ key: Key) -> Value? {
        guard let value = entries[key]?.value else { return nil }
        stamp(key, value)
        return value
    }

    /// Stores `value` for `key` as the most recent entry, forgetting the least recent ones past the capacity;
    /// returns the keys forgotten.
    @discardableResult
    package mutating func set(_ value: Value, for key: Key) -> [Key] {
        stamp(key, value)
        return trim()
    }

    /// Replaces the value of an existing entry without changing how recent it is; false when `key` is absent.
    @discardableResult
    package mutating func replace(_ value: Value, for key: Key) -> Bool {
        guard let stamp = entries[key]?.stamp else { return false }
        entries[key] = (value, stamp)
        return true
    }

    /// Removes `key` and returns its value.
    @discardableResult
    package mutating func removeValue(forKey key: Key) -> Value? {
        let value = entries.removeValue(forKey: key)?.value
        compactIfSparse()
        return value
    }

    /// Changes the capacity, forgetting the least recent entries past it; returns the keys forgotten.
    @discardableResult
    package mutating func resize(to capacity: Int) -> [Key] {
        self.capacity = max(capacity, 0)
        return trim()
    }

    private mutating func stamp(_ key: Key, _ value: Value) {
        nextStamp &+= 1
        entries[key] = (value, nextStamp)
        order.append((key, nextStamp))
        compactIfSparse()
    }

    private mutating func trim() -> [Key] {
        var forgotten: [Key] = []
        while entries.count > capacity && head < order.count {
            let (key, stamp) = order[head]
            head += 1
            if entries[key]?.stamp == stamp {
                entries[key] = nil
                forgotten.append(key)
            }
        }
        compactIfSparse()
        return forgotten
    }

    /// Keeps `order` within a constant factor of the live entries, so touches and removals cannot grow it
    /// without bound.
    private mutating func compactIfSparse() {
        let live = order.count - head
        if live > 2 * entries.count + 64 {
            order = entries.map { ($0.key, $0.value.stamp) }.sorted { $0.stamp < $1.stamp }
            head = 0
        } else if head > 64 && head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}

extension RecencyMap: Sendable where Key: Sendable, Value: Sendable {}
