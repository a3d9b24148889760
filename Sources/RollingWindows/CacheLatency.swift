/// Exact nearest-rank latency quantiles of the samples of one cache outcome (hits, or misses) in a rolling
/// window, so "misses got slow" and "the API got slow" look different. Part of ``WindowStats``.
package struct CacheLatency: Sendable, Equatable {
    /// Samples with this outcome whose latency is stored (the quantiles' population).
    package var samples: Int
    /// Median latency in seconds.
    package var p50: Double
    /// 95th percentile latency in seconds.
    package var p95: Double
    /// 99th percentile latency in seconds.
    package var p99: Double

    /// Creates quantiles from plain numbers.
    package init(samples: Int, p50: Double, p95: Double, p99: Double) {
        self.samples = samples
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
    }

    /// The quantiles of `buffer[low..<low + count]` (microseconds), reordering that range in place; nil when
    /// `count` is 0.
    static func select(_ buffer: UnsafeMutableBufferPointer<UInt32>, low: Int, count: Int) -> CacheLatency? {
        guard count > 0 else { return nil }
        let high = low + count - 1
        let i95 = low + NearestRank.index(0.95, count: count)
        let i99 = low + NearestRank.index(0.99, count: count)
        let i50 = low + NearestRank.index(0.5, count: count)
        // As in the window's own quantiles: p95 first, then p99 above it and p50 below it.
        NearestRank.select(buffer, i95, low: low, high: high)
        if i99 > i95 { NearestRank.select(buffer, i99, low: i95 + 1, high: high) }
        if i50 < i95 { NearestRank.select(buffer, i50, low: low, high: i95 - 1) }
        return CacheLatency(
            samples: count,
            p50: Double(buffer[i50]) / 1e6,
            p95: Double(buffer[i95]) / 1e6,
            p99: Double(buffer[i99]) / 1e6
        )
    }
}
