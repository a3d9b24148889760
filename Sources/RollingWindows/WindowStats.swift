/// Statistics of one rolling window at one instant, as returned by ``RollingWindow/stats(at:)``.
package struct WindowStats: Sendable, Equatable {
    /// Window length in seconds.
    package var window: Double
    /// Number of samples recorded in the live slices.
    package var samples: Int
    /// Number of samples with `success == false`.
    package var failures: Int
    /// Number of samples whose latency is strictly greater than ``threshold`` (compared at 1 µs resolution).
    package var overThreshold: Int
    /// Latency threshold in seconds.
    package var threshold: Double
    /// `failures / samples`; `nil` when there are no samples.
    package var errorRatio: Double?
    /// `overThreshold / samples`; `nil` when there are no samples.
    package var overThresholdRatio: Double?
    /// Nearest-rank median latency in seconds; `nil` when no latencies are stored.
    package var p50: Double?
    /// Nearest-rank 95th percentile latency in seconds; `nil` when no latencies are stored.
    package var p95: Double?
    /// Nearest-rank 99th percentile latency in seconds; `nil` when no latencies are stored.
    package var p99: Double?
    /// Cache hits (from samples and from ``RollingWindow/addCacheLookups(hits:misses:at:)``).
    package var cacheHits: Int
    /// Cache misses (from samples and from ``RollingWindow/addCacheLookups(hits:misses:at:)``).
    package var cacheMisses: Int
    /// `cacheHits / (cacheHits + cacheMisses)`; `nil` when both are zero.
    package var cacheHitRatio: Double?
    /// Latencies that were counted but not stored because a slice reached its cap. When non-zero the
    /// quantiles are computed from a subset of the samples and are therefore approximate.
    package var droppedLatencies: Int
    /// Number of latencies the quantiles were computed from (`samples - droppedLatencies`).
    package var storedLatencies: Int
    /// Latency quantiles of the stored samples the target reported as cache hits; nil when there are none.
    package var hitLatency: CacheLatency?
    /// Latency quantiles of the stored samples the target reported as cache misses; nil when there are none.
    package var missLatency: CacheLatency?
    /// Up to five slowest samples, slowest first.
    package var slowest: [Exemplar]
    /// Up to five most recent failing samples, newest first.
    package var recentFailures: [Exemplar]

    /// True when some latencies were dropped, so ``p50``, ``p95`` and ``p99`` are approximate.
    package var quantilesApproximate: Bool { droppedLatencies > 0 }

    /// Cache lookups (hits plus misses).
    package var cacheLookups: Int { cacheHits + cacheMisses }

    /// Creates statistics from counts, with the ratios derived from them; left out, counters are zero and
    /// quantiles absent. ``RollingWindow/stats(at:exemplars:)`` fills these in; tests give plain numbers.
    package init(
        window: Double,
        threshold: Double,
        samples: Int = 0,
        failures: Int = 0,
        overThreshold: Int = 0,
        p50: Double? = nil,
        p95: Double? = nil,
        p99: Double? = nil,
        cacheHits: Int = 0,
        cacheMisses: Int = 0,
        slowest: [Exemplar] = [],
        recentFailures: [Exemplar] = [],
        hitLatency: CacheLatency? = nil,
        missLatency: CacheLatency? = nil
    ) {
        self.window = window
        self.samples = samples
        self.failures = failures
        self.overThreshold = overThreshold
        self.threshold = threshold
        self.errorRatio = samples > 0 ? Double(failures) / Double(samples) : nil
        self.overThresholdRatio = samples > 0 ? Double(overThreshold) / Double(samples) : nil
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
        self.cacheHits = cacheHits
        self.cacheMisses = cacheMisses
        let lookups = cacheHits + cacheMisses
        self.cacheHitRatio = lookups > 0 ? Double(cacheHits) / Double(lookups) : nil
        self.droppedLatencies = 0
        self.storedLatencies = samples
        self.slowest = slowest
        self.recentFailures = recentFailures
        self.hitLatency = hitLatency
        self.missLatency = missLatency
    }
}
