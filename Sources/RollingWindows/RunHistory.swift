/// The start, latency and outcome of a probe's latest runs, 16 bytes each and no heap object per run: what the
/// status page charts. ``ProbeSnapshot/recent`` keeps the full results too, but only the last
/// ``ProbeStore/recentLimit``.
package struct RunHistory: Sendable {
    /// One run.
    package struct Run: Sendable, Equatable {
        /// Wall-clock start, Unix seconds.
        package var startedAt: Double
        /// Latency, seconds (single precision: a chart needs no more).
        package var latency: Float
        /// Whether the run succeeded.
        package var success: Bool

        /// Creates a run.
        package init(startedAt: Double, latency: Double, success: Bool) {
            self.startedAt = startedAt
            self.latency = Float(latency)
            self.success = success
        }
    }

    /// Runs kept.
    package static let capacity = 120

    private var ring: [Run] = []
    private var next = 0

    /// Creates an empty history.
    package init() {}

    /// Adds the newest run, forgetting the oldest past ``capacity``.
    package mutating func append(_ run: Run) {
        if ring.count < Self.capacity {
            if ring.isEmpty { ring.reserveCapacity(Self.capacity) }
            ring.append(run)
        } else {
            ring[next] = run
            next = (next + 1) % Self.capacity
        }
    }

    /// The runs kept, oldest first.
    package var runs: [Run] { Array(ring[next...] + ring[..<next]) }
}
