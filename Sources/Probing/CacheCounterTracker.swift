import Locking

/// Turns the target's own cumulative `entitlement_cache_hits_total` / `entitlement_cache_misses_total` counters
/// into per-run deltas, for probes whose cache source is the target's `/metrics`.
///
/// The first reading only sets the baseline; a counter that went down (the target restarted) counts from zero.
package final class CacheCounterTracker: Sendable {
    private let previous = Locked<(hits: Double, misses: Double)?>(nil)

    /// Creates a tracker with no baseline.
    package init() {}

    /// The lookups since the previous reading of `exposition`, or `nil` if the counters are missing or this is
    /// the first reading.
    package func delta(fromExposition exposition: String) -> (hits: Int, misses: Int)? {
        guard let current = Self.read(exposition) else { return nil }
        return previous.withLock { last in
            defer { last = current }
            guard let before = last else { return nil }
            let hits = current.hits >= before.hits ? current.hits - before.hits : current.hits
            let misses = current.misses >= before.misses ? current.misses - before.misses : current.misses
            return (Int(hits), Int(misses))
        }
    }

    /// Sums every series of the two counters in a Prometheus text exposition.
    static func read(_ exposition: String) -> (hits: Double, misses: Double)? {
        var hits: Double?
        var misses: Double?
        for line in exposition.split(separator: "\n") where !line.hasPrefix("#") {
            let name = line.prefix { $0 != "{" && $0 != " " }
            guard name == "entitlement_cache_hits_total" || name == "entitlement_cache_misses_total" else { continue }
            var rest = line.dropFirst(name.count)
            if rest.hasPrefix("{"), let close = rest.lastIndex(of: "}") { rest = rest[rest.index(after: close)...] }
            guard let valueText = rest.split(separator: " ").first, let value = Double(valueText) else { continue }
            if name == "entitlement_cache_hits_total" {
                hits = (hits ?? 0) + value
            } else {
                misses = (misses ?? 0) + value
            }
        }
        guard hits != nil || misses != nil else { return nil }
        return (hits ?? 0, misses ?? 0)
    }
}
