/// Rolling statistics of one probe over one window length (for example the last 60 seconds).
///
/// The window is a ring of `slices` time slices of width `length / slices`. Slice `n` covers
/// `[n * width, (n + 1) * width)` on the caller's monotonic clock and belongs to the window while
/// `now - n * width < length`. A sample therefore counts for at most `length` seconds and at least
/// `length - width` seconds: the window has slice granularity (2 s for a 1 minute window with 30 slices).
///
/// Latencies are stored as `UInt32` microseconds (so up to about 71 minutes, longer values saturate), at
/// most `maxLatenciesPerSlice` per slice. Past the cap samples still count in every counter, but their
/// latency is only reflected in ``WindowStats/droppedLatencies`` and the quantiles become approximate.
/// The over-threshold comparison is done at microsecond resolution as well, so it agrees exactly with the
/// reported quantiles: `overThresholdRatio > 0.05` iff `p95 > threshold` when nothing was dropped.
///
/// Expired slices are emptied and reused in place, so after warm-up the window allocates nothing per
/// sample. Time is clamped to the latest time seen: a `now` earlier than a previous call is treated as the
/// latest time, and a jump further ahead than `length` expires every slice.
///
/// This is a value type without internal locking; share it between tasks behind a lock (`Locked`).
public struct RollingWindow: Sendable {
    /// Window length in seconds.
    public let length: Double
    /// Number of slices in the ring.
    public let sliceCount: Int
    /// Width of one slice in seconds (`length / sliceCount`).
    public let sliceWidth: Double
    /// Latencies stored per slice before further ones are dropped.
    public let maxLatenciesPerSlice: Int
    /// Latency threshold in seconds for ``WindowStats/overThreshold``.
    public private(set) var threshold: Double

    private var thresholdMicros: UInt32
    private var slices: [TimeSlice]
    /// Latest slice number seen, `Int.min` before the first call.
    private var latestSlice: Int = .min
    /// Latest time seen.
    private var latestTime: Double = -.infinity

    /// Creates an empty window.
    /// - Parameters:
    ///   - length: Window length in seconds (> 0).
    ///   - slices: Number of ring slices (> 0); the granularity of expiry is `length / slices`.
    ///   - threshold: Latency threshold in seconds.
    ///   - maxLatenciesPerSlice: Cap on stored latencies per slice (> 0).
    public init(length: Double, slices: Int = 30, threshold: Double, maxLatenciesPerSlice: Int = 4096) {
        precondition(length > 0 && length.isFinite, "window length must be positive")
        precondition(slices > 0, "a window needs at least one slice")
        precondition(maxLatenciesPerSlice > 0, "maxLatenciesPerSlice must be positive")
        self.length = length
        self.sliceCount = slices
        self.sliceWidth = length / Double(slices)
        self.maxLatenciesPerSlice = maxLatenciesPerSlice
        self.threshold = threshold
        self.thresholdMicros = Self.thresholdMicros(threshold)
        self.slices = Array(repeating: TimeSlice(), count: slices)
    }

    /// Records one sample at monotonic time `now` (seconds).
    public mutating func record(_ sample: Sample, at now: Double) {
        let slot = advance(to: now)
        slices[slot].record(
            sample,
            micros: Self.micros(sample.latency),
            thresholdMicros: thresholdMicros,
            cap: maxLatenciesPerSlice,
            time: latestTime
        )
    }

    /// Adds cache lookups observed on the target itself (for example deltas of its own `/metrics` counters)
    /// to the current slice. Counts into the same counters as per-sample ``CacheOutcome``s, so feed each
    /// lookup through only one of the two paths. Negative values are ignored.
    public mutating func addCacheLookups(hits: Int, misses: Int, at now: Double) {
        let slot = advance(to: now)
        slices[slot].cacheHits += Swift.max(0, hits)
        slices[slot].cacheMisses += Swift.max(0, misses)
    }

    /// Changes the latency threshold. Over-threshold counts of the live slices are recounted from the stored
    /// latencies (estimated proportionally in slices that dropped latencies).
    public mutating func setThreshold(_ threshold: Double) {
        guard threshold != self.threshold else { return }
        self.threshold = threshold
        thresholdMicros = Self.thresholdMicros(threshold)
        for index in slices.indices {
            slices[index].recountOverThreshold(thresholdMicros: thresholdMicros)
        }
    }

    /// Statistics of the slices that are live at `now`.
    ///
    /// Quantiles are exact nearest-rank over the stored latencies; this copies the live latencies into one
    /// temporary buffer (at most `slices * maxLatenciesPerSlice * 4` bytes) and runs quickselect on it.
    public func stats(at now: Double) -> WindowStats {
        var stats = WindowStats(window: length, threshold: threshold)
        let current = Swift.max(sliceNumber(now), latestSlice)
        var latencyCount = 0
        // Newest slice first, so that failures come out newest first without sorting.
        for age in 0..<sliceCount {
            let number = current - age
            let slice = slices[Self.slot(number, sliceCount)]
            guard slice.number == number else { continue }
            latencyCount += slice.latencies.count
            stats.samples += slice.samples
            stats.failures += slice.failures
            stats.overThreshold += slice.overThreshold
            stats.cacheHits += slice.cacheHits
            stats.cacheMisses += slice.cacheMisses
            stats.droppedLatencies += slice.dropped
            for failure in slice.failing.reversed() where stats.recentFailures.count < TimeSlice.exemplarLimit {
                stats.recentFailures.append(failure)
            }
            // Keep only the slowest few while merging (stable: on a tie the newer slice's exemplar stays first),
            // instead of collecting every slice's exemplars and sorting them all.
            for exemplar in slice.slowest {
                let position = stats.slowest.firstIndex { $0.latency < exemplar.latency } ?? stats.slowest.count
                guard position < TimeSlice.exemplarLimit else { break }
                if stats.slowest.count == TimeSlice.exemplarLimit { stats.slowest.removeLast() }
                stats.slowest.insert(exemplar, at: position)
            }
        }
        stats.storedLatencies = latencyCount
        if stats.samples > 0 {
            stats.errorRatio = Double(stats.failures) / Double(stats.samples)
            stats.overThresholdRatio = Double(stats.overThreshold) / Double(stats.samples)
        }
        let lookups = stats.cacheHits + stats.cacheMisses
        if lookups > 0 { stats.cacheHitRatio = Double(stats.cacheHits) / Double(lookups) }
        if latencyCount > 0 {
            // Merged into scratch memory (on the stack when small) and selected in place: a scrape of a thousand
            // probes computes two thousand windows, and these arrays were most of their cost.
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: latencyCount) { merged in
                var filled = 0
                for age in 0..<sliceCount {
                    let number = current - age
                    let slice = slices[Self.slot(number, sliceCount)]
                    guard slice.number == number else { continue }
                    slice.latencies.withUnsafeBufferPointer { source in
                        guard let base = source.baseAddress else { return }
                        (merged.baseAddress! + filled).initialize(from: base, count: source.count)
                        filled += source.count
                    }
                }
                // Largest rank first: after selecting k, everything before k is <= merged[k], so the next
                // (smaller) rank only needs to search 0...k.
                let i99 = NearestRank.index(0.99, count: filled)
                let i95 = NearestRank.index(0.95, count: filled)
                let i50 = NearestRank.index(0.5, count: filled)
                NearestRank.select(merged, i99, low: 0, high: filled - 1)
                NearestRank.select(merged, i95, low: 0, high: i99)
                NearestRank.select(merged, i50, low: 0, high: i95)
                stats.p50 = Double(merged[i50]) / 1e6
                stats.p95 = Double(merged[i95]) / 1e6
                stats.p99 = Double(merged[i99]) / 1e6
            }
        }
        return stats
    }

    /// Upper bound in bytes of this window's memory once every slice holds `maxLatenciesPerSlice` latencies,
    /// assuming request IDs and failure reasons of at most 64 bytes each (shorter ones, up to 15 bytes, are
    /// stored inline). For capacity planning and documentation; the exact heap use depends on the allocator.
    public var memoryBound: Int {
        let arrayHeader = 32
        let exemplarHeap = MemoryLayout<Exemplar>.stride + 2 * 64
        let perSlice =
            MemoryLayout<TimeSlice>.stride
            + arrayHeader + (maxLatenciesPerSlice + 16) * MemoryLayout<UInt32>.stride
            + 2 * (arrayHeader + (TimeSlice.exemplarLimit + 1) * exemplarHeap)
        return MemoryLayout<RollingWindow>.stride + arrayHeader + sliceCount * perSlice
    }

    /// Total capacity (in latencies) of the slices' latency buffers. Stays at most about
    /// `slices * maxLatenciesPerSlice` however long the window runs; exposed for tests and diagnostics.
    public var latencyCapacity: Int {
        slices.reduce(0) { $0 + $1.latencies.capacity }
    }

    // MARK: - Private

    /// Moves the ring to `now` (clamped to the latest time seen) and returns the current slot, emptied first
    /// if it still holds an expired slice.
    private mutating func advance(to now: Double) -> Int {
        let number = Swift.max(sliceNumber(now), latestSlice)
        if now > latestTime { latestTime = now }
        if latestTime == -.infinity { latestTime = Double(number) * sliceWidth }
        latestSlice = number
        let slot = Self.slot(number, sliceCount)
        if slices[slot].number != number { slices[slot].reset(number: number) }
        return slot
    }

    private func sliceNumber(_ now: Double) -> Int {
        guard now.isFinite else { return latestSlice == .min ? 0 : latestSlice }
        let number = (now / sliceWidth).rounded(.down)
        return Int(Swift.min(Swift.max(number, -1e15), 1e15))
    }

    private static func slot(_ number: Int, _ count: Int) -> Int {
        let remainder = number % count
        return remainder < 0 ? remainder + count : remainder
    }

    static func micros(_ seconds: Double) -> UInt32 {
        guard seconds > 0 else { return 0 }  // also catches NaN
        let micros = (seconds * 1e6).rounded()
        return micros >= Double(UInt32.max) ? UInt32.max : UInt32(micros)
    }

    /// Threshold in whole microseconds: the largest `m` with `Double(m) / 1e6 <= seconds`. For an integer
    /// latency `x` (µs) this makes `x > m` exactly equivalent to `Double(x) / 1e6 > seconds`, so the
    /// over-threshold count agrees with comparing the reported quantiles against `threshold` (a plain
    /// `floor(0.3 * 1e6)` would give 299999).
    static func thresholdMicros(_ seconds: Double) -> UInt32 {
        guard seconds > 0 else { return 0 }
        let estimate = (seconds * 1e6).rounded(.down)
        guard estimate < Double(UInt32.max) else { return UInt32.max }
        var micros = UInt32(estimate)
        while micros < UInt32.max, Double(micros + 1) / 1e6 <= seconds { micros += 1 }
        while micros > 0, Double(micros) / 1e6 > seconds { micros -= 1 }
        return micros
    }
}
