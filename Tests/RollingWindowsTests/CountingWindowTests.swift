import Probing
import RollingWindows
import Testing

/// A counting window keeps the counters an error-ratio rule reads over a long window, and no samples.
@Suite struct CountingWindowTests {
    private func sample(_ seconds: Double, success: Bool, cache: CacheOutcome = .unknown) -> Sample {
        Sample(latency: seconds, success: success, cache: cache, requestID: "r")
    }

    @Test func countsEverySampleAndLogsNone() {
        var counting = RollingWindow(length: 3600, threshold: 0.1, keepsSamples: false)
        var full = RollingWindow(length: 3600, threshold: 0.1)
        // An hour at one run a second: 3,600 samples, one in fifty a failure, one in ten slow.
        for second in 0..<3600 {
            let s = sample(
                second % 10 == 0 ? 0.2 : 0.01,
                success: second % 50 != 0,
                cache: second % 4 == 0 ? .miss : .hit
            )
            counting.record(s, at: Double(second))
            full.record(s, at: Double(second))
        }
        let counted = counting.stats(at: 3599)
        let reference = full.stats(at: 3599)
        #expect(counted.samples == reference.samples && counted.samples > 3000)
        #expect(counted.failures == reference.failures)
        #expect(counted.errorRatio == reference.errorRatio)
        #expect(counted.overThreshold == reference.overThreshold)
        #expect(counted.cacheHits == reference.cacheHits && counted.cacheMisses == reference.cacheMisses)
        // No samples: no quantiles, no evidence, and no buffer.
        #expect(counted.p50 == nil && counted.p95 == nil && counted.p99 == nil)
        #expect(counted.recentFailures.isEmpty && counted.slowest.isEmpty)
        #expect(!counted.quantilesApproximate)
        #expect(counting.latencyCapacity == 0)
        #expect(full.latencyCapacity >= 3000)
    }

    @Test func expiresLikeAFullWindow() {
        var window = RollingWindow(length: 60, threshold: 0.1, keepsSamples: false)
        for second in 0..<60 { window.record(sample(0.01, success: false), at: Double(second)) }
        #expect(window.stats(at: 59).failures == 60)
        #expect(window.stats(at: 200).samples == 0)
        window.setThreshold(0.5)  // nothing to recount; must not disturb the counters
        window.record(sample(0.01, success: true), at: 201)
        #expect(window.stats(at: 201).samples == 1 && window.stats(at: 201).failures == 0)
    }

    @Test func aWindowSetMakesCountingWindowsOnlyForTheLengthsAsked() {
        var set = WindowSet(lengths: [60, 300, 3600], threshold: 0.1, counting: [3600])
        #expect(set.countingLengths == [3600])
        for second in 0..<100 { set.record(sample(0.01, success: true), at: Double(second)) }
        let stats = set.stats(at: 99)
        #expect(stats.map { $0.p50 != nil } == [true, true, false])
        #expect(stats.map(\.samples) == [stats[0].samples, 100, 100])
    }
}
