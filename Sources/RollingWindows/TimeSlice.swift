/// One slice of a ``RollingWindow``'s ring: counters, raw latencies and evidence for
/// `[number * width, (number + 1) * width)`. Reused in place when it expires.
struct TimeSlice: Sendable {
    /// Evidence kept per slice and per window.
    static let exemplarLimit = 5

    /// Absolute slice number (`floor(time / width)`); `Int.min` for a slice that was never used.
    var number: Int = .min
    var samples = 0
    var failures = 0
    var overThreshold = 0
    var cacheHits = 0
    var cacheMisses = 0
    var dropped = 0
    /// Latencies in microseconds, at most `cap` of them.
    var latencies: [UInt32] = []
    /// Up to five slowest samples, slowest first.
    var slowest: [Exemplar] = []
    /// Up to five most recent failures, oldest first (appended in record order).
    var failing: [Exemplar] = []

    /// Empties the slice for reuse as slice `number`, keeping every buffer's capacity.
    mutating func reset(number: Int) {
        self.number = number
        samples = 0
        failures = 0
        overThreshold = 0
        cacheHits = 0
        cacheMisses = 0
        dropped = 0
        latencies.removeAll(keepingCapacity: true)
        slowest.removeAll(keepingCapacity: true)
        failing.removeAll(keepingCapacity: true)
    }

    mutating func record(_ sample: Sample, micros: UInt32, thresholdMicros: UInt32, cap: Int, time: Double) {
        samples += 1
        if micros > thresholdMicros { overThreshold += 1 }
        switch sample.cache {
        case .hit: cacheHits += 1
        case .miss: cacheMisses += 1
        case .unknown: break
        }
        if latencies.count < cap {
            if latencies.count == latencies.capacity {
                // Grow geometrically but never past the cap, so capacity is bounded by `cap` (plus allocator
                // rounding) instead of the next power of two.
                latencies.reserveCapacity(Swift.min(cap, Swift.max(16, latencies.capacity * 2)))
            }
            latencies.append(micros)
        } else {
            dropped += 1
        }
        if slowest.count < Self.exemplarLimit || sample.latency > slowest[slowest.count - 1].latency {
            let reason = sample.success ? nil : sample.failureReason
            let exemplar = Exemplar(requestID: sample.requestID, latency: sample.latency, time: time, reason: reason)
            let position = slowest.firstIndex { $0.latency < sample.latency } ?? slowest.count
            slowest.insert(exemplar, at: position)
            if slowest.count > Self.exemplarLimit { slowest.removeLast() }
        }
        if !sample.success {
            failures += 1
            if failing.count == Self.exemplarLimit { failing.removeFirst() }
            failing.append(
                Exemplar(
                    requestID: sample.requestID,
                    latency: sample.latency,
                    time: time,
                    reason: sample.failureReason
                )
            )
        }
    }

    /// Recounts `overThreshold` for a new threshold from the stored latencies, scaled up proportionally when
    /// some latencies were dropped (then the count is an estimate).
    mutating func recountOverThreshold(thresholdMicros: UInt32) {
        var over = 0
        for micros in latencies where micros > thresholdMicros { over += 1 }
        if dropped > 0, !latencies.isEmpty {
            over = Int((Double(over) * Double(samples) / Double(latencies.count)).rounded())
        }
        overThreshold = over
    }
}
