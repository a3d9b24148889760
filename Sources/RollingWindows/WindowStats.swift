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
    /// Up to five slowest samples, slowest first.
    package var slowest: [Exemplar]
    /// Up to five most recent failing samples, newest first.
    package var recentFailures: [Exemplar]

    /// True when some latencies were dropped, so ``p50``, ``p95`` and ``p99`` are approximate.
    package var quantilesApproximate: Bool { droppedLatencies > 0 }

    /// Creates statistics with all counters zero and no quantiles.
    package init(window: Double, threshold: Double) {
        self.window = window
        self.samples = 0
        self.failures = 0
        self.overThreshold = 0
        self.threshold = threshold
        self.errorRatio = nil
        self.overThresholdRatio = nil
        self.p50 = nil
        self.p95 = nil
        self.p99 = nil
        self.cacheHits = 0
        self.cacheMisses = 0
        self.cacheHitRatio = nil
        self.droppedLatencies = 0
        self.storedLatencies = 0
        self.slowest = []
        self.recentFailures = []
    }
}
