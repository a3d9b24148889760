/// The counters of one slice of a ``RollingWindow``'s ring, for `[number * width, (number + 1) * width)`.
/// Reused in place when it expires. The slice's latencies are in the window's ``LatencyLog``, its evidence in its
/// ``EvidenceLog``.
///
/// 48 bytes: a thousand probes keep 90 slices each. The per-sample counters are 32-bit (a slice of an hour's
/// window at 30 slices lasts 2 minutes, far from 4 billion runs); cache lookups may come from a target's own
/// counters, so they are 64-bit.
struct TimeSlice: Sendable {
    /// Absolute slice number (`floor(time / width)`); `Int.min` for a slice that was never used.
    var number: Int = .min
    var cacheHits = 0
    var cacheMisses = 0
    var samples: UInt32 = 0
    var failures: UInt32 = 0
    var overThreshold: UInt32 = 0
    /// Samples whose latency was not logged because the slice already held `cap` of them.
    var dropped: UInt32 = 0
    /// Samples of this slice in the log.
    var stored: UInt32 = 0

    /// Empties the slice for reuse as slice `number`.
    mutating func reset(number: Int) {
        self = TimeSlice()
        self.number = number
    }

    /// Counts one sample; returns whether its latency should be logged (the slice holds fewer than `cap`).
    mutating func record(_ sample: Sample, micros: UInt32, thresholdMicros: UInt32, cap: Int) -> Bool {
        samples &+= 1
        if micros > thresholdMicros { overThreshold &+= 1 }
        if !sample.success { failures &+= 1 }
        switch sample.cache {
        case .hit: cacheHits += 1
        case .miss: cacheMisses += 1
        case .unknown: break
        }
        guard Int(stored) < cap else {
            dropped &+= 1
            return false
        }
        stored += 1
        return true
    }
}
