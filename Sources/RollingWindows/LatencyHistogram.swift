import Exposition

/// A cumulative Prometheus-style histogram of seconds with fixed upper bounds, and optionally the latest
/// traced observation of each bucket (its OpenMetrics exemplar).
package struct LatencyHistogram: Sendable {
    /// Default bounds of `slaprobe_probe_duration_seconds`: fine below 100 ms, and 0.1, 0.5 and 1 s present so
    /// the SLA thresholds read straight off the `le` buckets.
    package static let durationBounds: [Double] = [
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 2.5,
        5, 10, 30,
    ]
    /// Bounds of `slaprobe_probe_phase_duration_seconds`.
    package static let phaseBounds: [Double] = [
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]
    /// Bounds of `slaprobe_scheduler_lag_seconds`.
    package static let lagBounds: [Double] = [0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5]

    /// Upper bounds, ascending, without `+Inf`.
    package let upperBounds: [Double]
    /// Cumulative count of observations `<=` each bound.
    package private(set) var cumulativeCounts: [UInt64]
    /// Sum of all observations, seconds.
    ///
    /// Kept as whole microseconds (libcurl's resolution): a running sum of doubles soon has no short decimal
    /// form, and formatting those the slow way was a fifth of rendering `/metrics`; this one prints from an
    /// integer. Exact for libcurl's timings, within half a microsecond per observation otherwise.
    package var sum: Double { Double(sumMicroseconds) / 1e6 }
    private var sumMicroseconds: Int64 = 0
    /// Number of observations.
    package private(set) var count: UInt64 = 0
    /// The latest traced observation of each bucket (`upperBounds.count + 1` slots, `+Inf` last), or empty until
    /// an observation carries a trace id. Each sits in the bucket whose bound is the smallest `>=` its value.
    package private(set) var exemplars: [BucketExemplar?] = []

    /// Creates an empty histogram; `extraBounds` (e.g. a probe's latency threshold) are merged into `bounds`.
    package init(bounds: [Double], extraBounds: [Double] = []) {
        upperBounds = Array(Set(bounds + extraBounds.filter { $0 > 0 && $0.isFinite })).sorted()
        cumulativeCounts = Array(repeating: 0, count: upperBounds.count)
    }

    /// Records one observation; with a `traceID`, it also becomes the exemplar of its bucket, observed at
    /// `timestamp` (Unix seconds).
    package mutating func observe(_ value: Double, traceID: TraceID?, at timestamp: Double) {
        observe(value)
        guard let traceID else { return }
        if exemplars.isEmpty { exemplars = Array(repeating: nil, count: upperBounds.count + 1) }
        var index = upperBounds.count
        for (i, bound) in upperBounds.enumerated() where value <= bound {
            index = i
            break
        }
        exemplars[index] = BucketExemplar(traceID: traceID, value: value, timestamp: timestamp)
    }

    /// Records one observation.
    package mutating func observe(_ value: Double) {
        count += 1
        if value > 0 {
            let microseconds = (value * 1e6).rounded()
            sumMicroseconds &+= microseconds < 1e15 ? Int64(microseconds) : Int64(1e15)
        }
        // Bounds are few (about 20): a linear scan from the first bound that fits is as fast as a binary search.
        var index = upperBounds.count
        for (i, bound) in upperBounds.enumerated() where value <= bound {
            index = i
            break
        }
        var i = index
        while i < cumulativeCounts.count {
            cumulativeCounts[i] += 1
            i += 1
        }
    }
}
