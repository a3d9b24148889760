/// The statistics of one probe over one rolling window, as the evaluator reads them.
///
/// `overThreshold` counts the samples slower than `threshold` (the probe's latency SLA). Because the nearest-rank
/// p95 exceeds `threshold` exactly when more than 5 % of the samples are slower than it, the latency rule decides on
/// these counters and only shows the exact quantiles as evidence.
package struct ProbeWindowSnapshot: Sendable, Equatable {
    /// The probe's configured name.
    package var probe: String
    /// The probe kind: `entitlement`, `checkout`, `webhook` or `http`.
    package var kind: String
    /// The window length, in seconds (300 for `5m`).
    package var window: Double
    /// Probe results in the window.
    package var samples: Int
    /// Failed results in the window.
    package var failures: Int
    /// Results slower than ``threshold``.
    package var overThreshold: Int
    /// The probe's latency threshold, in seconds.
    package var threshold: Double
    /// Exact rolling quantiles in seconds, `nil` without samples.
    package var p50: Double?
    /// The 95th percentile (nearest rank), in seconds.
    package var p95: Double?
    /// The 99th percentile (nearest rank), in seconds.
    package var p99: Double?
    /// Cache hits observed in the window.
    package var cacheHits: Int
    /// Cache misses observed in the window.
    package var cacheMisses: Int
    /// The slowest requests, slowest first.
    package var slowest: [SlowRequest]
    /// The most recent failing requests, newest first.
    package var recentFailures: [FailedRequest]

    /// Creates a window snapshot.
    package init(
        probe: String,
        kind: String,
        window: Double,
        samples: Int,
        failures: Int = 0,
        overThreshold: Int = 0,
        threshold: Double,
        p50: Double? = nil,
        p95: Double? = nil,
        p99: Double? = nil,
        cacheHits: Int = 0,
        cacheMisses: Int = 0,
        slowest: [SlowRequest] = [],
        recentFailures: [FailedRequest] = []
    ) {
        self.probe = probe
        self.kind = kind
        self.window = window
        self.samples = samples
        self.failures = failures
        self.overThreshold = overThreshold
        self.threshold = threshold
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
        self.cacheHits = cacheHits
        self.cacheMisses = cacheMisses
        self.slowest = slowest
        self.recentFailures = recentFailures
    }

    /// Cache lookups (hits plus misses).
    package var cacheLookups: Int { cacheHits + cacheMisses }
}
