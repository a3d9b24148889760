import Config

/// One replica's share of the probes when several replicas split one configuration (`--shard i/n`).
///
/// A probe belongs to shard `fnv1a64(name) % count`, so every replica agrees without talking to the others,
/// and a probe keeps its shard when other probes are added or removed.
package struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// This replica's index, `0..<count`.
    package let index: Int
    /// How many replicas share the probes.
    package let count: Int

    /// Every probe: the default, one replica.
    package static let all = Shard(index: 0, count: 1)

    /// A shard; `index` must be in `0..<count`.
    package init(index: Int, count: Int) {
        precondition(count > 0 && (0..<count).contains(index), "shard index must be in 0..<count")
        self.index = index
        self.count = count
    }

    /// Parses `i/n`, e.g. `0/3`.
    package static func parse(_ text: String) -> Shard? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count > 0,
            (0..<count).contains(index)
        else { return nil }
        return Shard(index: index, count: count)
    }

    /// Whether this shard runs the probe named `name`.
    package func owns(_ name: String) -> Bool {
        count == 1 || Int(Self.fnv1a64(name) % UInt64(count)) == index
    }

    package var description: String { "\(index)/\(count)" }

    static func fnv1a64(_ text: String) -> UInt64 { FNV1a.hash(text) }
}
