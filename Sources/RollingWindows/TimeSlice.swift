/// The counters of one slice of a ``RollingWindow``'s ring, for `[number * width, (number + 1) * width)`.
/// Reused in place when it expires. The slice's latencies and evidence are in the window's ``SampleLog``.
struct TimeSlice: Sendable {
    /// Absolute slice number (`floor(time / width)`); `Int.min` for a slice that was never used.
    var number: Int = .min
    var samples = 0
    var failures = 0
    var overThreshold = 0
    var cacheHits = 0
    var cacheMisses = 0
    /// Samples whose latency was not logged because the slice already held `cap` of them.
    var dropped = 0
    /// Samples of this slice in the log.
    var stored = 0

    /// Empties the slice for reuse as slice `number`.
    mutating func reset(number: Int) {
        self = TimeSlice()
        self.number = number
    }

    /// Counts one sample; returns whether its latency should be logged (the slice holds fewer than `cap`).
    mutating func record(_ sample: Sample, micros: UInt32, thresholdMicros: UInt32, cap: Int) -> Bool {
        samples += 1
        if micros > thresholdMicros { overThreshold += 1 }
        if !sample.success { failures += 1 }
        switch sample.cache {
        case .hit: cacheHits += 1
        case .miss: cacheMisses += 1
        case .unknown: break
        }
        guard stored < cap else {
            dropped += 1
            return false
        }
        stored += 1
        return true
    }
}
