import Exposition
import Probing

/// Rolling statistics of one probe over one window length (for example the last 60 seconds).
///
/// The window is a ring of `slices` time slices of width `length / slices`. Slice `n` covers
/// `[n * width, (n + 1) * width)` on the caller's monotonic clock and belongs to the window while
/// `now - n * width < length`. A sample therefore counts for at most `length` seconds and at least
/// `length - width` seconds: the window has slice granularity (2 s for a 1 minute window with 30 slices).
///
/// Each slice keeps counters; the samples' latencies (as `UInt32` microseconds, so up to about 71 minutes, longer
/// values saturate) and cache outcomes are in one ``LatencyLog`` per window, at most `maxLatenciesPerSlice` per
/// slice, and the request IDs, trace ids and reasons of the samples that can still be evidence in one
/// ``EvidenceLog``. Past the cap samples still count in every counter, but
/// their latency is only reflected in ``WindowStats/droppedLatencies`` and the quantiles become approximate.
/// The quantiles are also given over the cache hits and over the misses alone (``WindowStats/hitLatency``,
/// ``WindowStats/missLatency``).
/// The over-threshold comparison is done at microsecond resolution as well, so it agrees exactly with the
/// reported quantiles: `overThresholdRatio > 0.05` iff `p95 > threshold` when nothing was dropped.
///
/// Expired slices are emptied and reused in place and the log is trimmed as they expire, so after warm-up the
/// window allocates nothing per sample. Time is clamped to the latest time seen: a `now` earlier than a
/// previous call is treated as the latest time, and a jump further ahead than `length` expires every slice.
///
/// This is a value type without internal locking; share it between tasks behind a lock (`Locked`).
package struct RollingWindow: Sendable {
    /// Evidence (slowest requests, recent failures) reported per window.
    static let exemplarLimit = 5

    /// Window length in seconds.
    package let length: Double
    /// Number of slices in the ring.
    package let sliceCount: Int
    /// Width of one slice in seconds (`length / sliceCount`).
    package let sliceWidth: Double
    /// Latencies stored per slice before further ones are dropped.
    package let maxLatenciesPerSlice: Int
    /// False for a counting window: its slices count samples, failures and cache lookups, and no sample is
    /// logged, so it has no quantiles and no evidence. A long window that only an error-ratio rule reads needs no
    /// more, and at one run a second an hour of samples would be 170 KB a probe.
    package let keepsSamples: Bool
    /// Latency threshold in seconds for ``WindowStats/overThreshold``.
    package private(set) var threshold: Double

    private var thresholdMicros: UInt32
    private var slices: [TimeSlice]
    private var log: LatencyLog
    private var evidence: EvidenceLog
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
    ///   - keepsSamples: False for a counting window (see ``keepsSamples``).
    package init(
        length: Double,
        slices: Int = 30,
        threshold: Double,
        maxLatenciesPerSlice: Int = 512,
        keepsSamples: Bool = true
    ) {
        precondition(length > 0 && length.isFinite, "window length must be positive")
        precondition(slices > 0, "a window needs at least one slice")
        precondition(maxLatenciesPerSlice > 0, "maxLatenciesPerSlice must be positive")
        self.length = length
        self.sliceCount = slices
        self.sliceWidth = length / Double(slices)
        self.maxLatenciesPerSlice = maxLatenciesPerSlice
        self.keepsSamples = keepsSamples
        self.threshold = threshold
        self.thresholdMicros = Self.thresholdMicros(threshold)
        self.slices = Array(repeating: TimeSlice(), count: slices)
        self.log = LatencyLog(maxCount: keepsSamples ? slices * maxLatenciesPerSlice : 0)
        self.evidence = EvidenceLog(limit: Self.exemplarLimit)
    }

    /// Records one sample at monotonic time `now` (seconds).
    package mutating func record(_ sample: Sample, at now: Double) {
        let slot = advance(to: now)
        let micros = Self.micros(sample.latency)
        let cap = keepsSamples ? maxLatenciesPerSlice : .max
        if slices[slot].record(sample, micros: micros, thresholdMicros: thresholdMicros, cap: cap), keepsSamples {
            log.append(micros: micros, cache: sample.cache, slice: latestSlice)
            evidence.append(sample, micros: micros, time: latestTime, slice: latestSlice)
        }
    }

    /// Adds cache lookups observed on the target itself (for example deltas of its own `/metrics` counters)
    /// to the current slice. Counts into the same counters as per-sample ``CacheOutcome``s, so feed each
    /// lookup through only one of the two paths. Negative values are ignored.
    package mutating func addCacheLookups(hits: Int, misses: Int, at now: Double) {
        let slot = advance(to: now)
        slices[slot].cacheHits += Swift.max(0, hits)
        slices[slot].cacheMisses += Swift.max(0, misses)
    }

    /// Changes the latency threshold. Over-threshold counts of the live slices are recounted from the logged
    /// latencies (estimated proportionally in slices that dropped latencies).
    package mutating func setThreshold(_ threshold: Double) {
        guard threshold != self.threshold else { return }
        self.threshold = threshold
        thresholdMicros = Self.thresholdMicros(threshold)
        // A counting window has no latencies to recount: its live slices keep the counts of the old threshold
        // until they expire.
        guard keepsSamples else { return }
        for index in slices.indices { slices[index].overThreshold = 0 }
        var index = 0
        for run in log.runs {
            let slot = Self.slot(run.slice, sliceCount)
            if slices[slot].number == run.slice {
                for entry in index..<index + run.count where log.micros(at: entry) > thresholdMicros {
                    slices[slot].overThreshold += 1
                }
            }
            index += run.count
        }
        for index in slices.indices where slices[index].dropped > 0 && slices[index].stored > 0 {
            let slice = slices[index]
            slices[index].overThreshold = UInt32(
                (Double(slice.overThreshold) * Double(slice.samples) / Double(slice.stored)).rounded()
            )
        }
    }

    /// Statistics of the slices that are live at `now`.
    ///
    /// Quantiles are exact nearest-rank over the logged latencies; this copies the live latencies into one
    /// temporary buffer (at most `slices * maxLatenciesPerSlice * 4` bytes) and runs quickselect on it. With
    /// `exemplars` false the evidence (``WindowStats/slowest``, ``WindowStats/recentFailures``) is left empty,
    /// which is all `/metrics` needs.
    package func stats(at now: Double, exemplars: Bool = true) -> WindowStats {
        var stats = WindowStats(window: length, threshold: threshold)
        let current = Swift.max(sliceNumber(now), latestSlice)
        for slice in slices where slice.number > current - sliceCount && slice.number <= current {
            stats.samples += Int(slice.samples)
            stats.failures += Int(slice.failures)
            stats.overThreshold += Int(slice.overThreshold)
            stats.cacheHits += slice.cacheHits
            stats.cacheMisses += slice.cacheMisses
            stats.droppedLatencies += Int(slice.dropped)
        }
        if stats.samples > 0 {
            stats.errorRatio = Double(stats.failures) / Double(stats.samples)
            stats.overThresholdRatio = Double(stats.overThreshold) / Double(stats.samples)
        }
        let lookups = stats.cacheHits + stats.cacheMisses
        if lookups > 0 { stats.cacheHitRatio = Double(stats.cacheHits) / Double(lookups) }

        let oldestLive = current - sliceCount + 1
        let first = log.firstIndex(fromSlice: oldestLive)
        let latencyCount = log.count - first
        stats.storedLatencies = latencyCount
        if latencyCount > 0 {
            // Copied into scratch memory (on the stack when small) and selected in place: a scrape of a thousand
            // probes computes two thousand windows.
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: latencyCount) { merged in
                for index in 0..<latencyCount { merged[index] = log.micros(at: first + index) }
                // p95 first, over everything; then everything after it is >= and everything before <=, so p99
                // is found among the top 5 % and p50 among the rest: about two passes instead of three.
                let i99 = NearestRank.index(0.99, count: latencyCount)
                let i95 = NearestRank.index(0.95, count: latencyCount)
                let i50 = NearestRank.index(0.5, count: latencyCount)
                NearestRank.select(merged, i95, low: 0, high: latencyCount - 1)
                if i99 > i95 { NearestRank.select(merged, i99, low: i95 + 1, high: latencyCount - 1) }
                if i50 < i95 { NearestRank.select(merged, i50, low: 0, high: i95 - 1) }
                stats.p50 = Double(merged[i50]) / 1e6
                stats.p95 = Double(merged[i95]) / 1e6
                stats.p99 = Double(merged[i99]) / 1e6
            }
        }
        // Probes without per-request cache outcomes (no lookups at all) skip the second pass.
        if latencyCount > 0, stats.cacheLookups > 0 { addCacheLatency(to: &stats, from: first) }
        if exemplars { (stats.slowest, stats.recentFailures) = evidence.evidence(fromSlice: oldestLive) }
        return stats
    }

    /// ``WindowStats/hitLatency`` and ``WindowStats/missLatency``: the live hits' latencies are gathered at the
    /// front of one scratch buffer and the misses' at its back, and each range is selected on its own.
    private func addCacheLatency(to stats: inout WindowStats, from first: Int) {
        let count = log.count - first
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: count) { buffer in
            var hits = 0
            var misses = 0
            for index in first..<log.count {
                switch log.cache(at: index) {
                case .hit:
                    buffer[hits] = log.micros(at: index)
                    hits += 1
                case .miss:
                    misses += 1
                    buffer[count - misses] = log.micros(at: index)
                case .unknown:
                    break
                }
            }
            stats.hitLatency = CacheLatency.select(buffer, low: 0, count: hits)
            stats.missLatency = CacheLatency.select(buffer, low: count - misses, count: misses)
        }
    }

    /// Upper bound in bytes of this window's memory once every slice holds `maxLatenciesPerSlice` samples
    /// and the most evidence candidates a slice may keep, whose request IDs are slaprobe's UUIDs (or texts of at
    /// most 16 bytes; longer ones cost a `String` each on top). For capacity planning and documentation; the
    /// exact heap use depends on the allocator.
    package var memoryBound: Int {
        let arrayHeader = 32
        let candidates = (sliceCount + 1) * Self.exemplarLimit
        return MemoryLayout<RollingWindow>.stride
            + arrayHeader + sliceCount * MemoryLayout<TimeSlice>.stride
            + 2 * arrayHeader + log.maxCount * (MemoryLayout<UInt32>.stride + MemoryLayout<CacheOutcome>.stride)
            + arrayHeader + (sliceCount + 1) * MemoryLayout<LatencyLog.Run>.stride
            + 2 * arrayHeader + candidates * MemoryLayout<EvidenceLog.Candidate>.stride
    }

    /// Evidence candidates the window holds, for tests and diagnostics.
    var evidenceCandidates: Int { evidence.candidateCount }

    /// Total capacity (in samples) of the window's sample log. Stays at most `slices * maxLatenciesPerSlice`
    /// however long the window runs; exposed for tests and diagnostics.
    package var latencyCapacity: Int { log.capacity }

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
        let oldestLive = number - sliceCount + 1
        log.removeSlices(before: oldestLive)
        evidence.removeSlices(before: oldestLive)
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
