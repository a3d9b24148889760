import RollingWindows
import Testing

@Suite struct WindowSetTests {
    @Test func windowsAreFedTogetherAndExpireIndependently() {
        var set = WindowSet(lengths: [60, 300], threshold: 0.2)
        #expect(set.lengths == [60, 300])
        set.record(Sample(latency: 0.3, success: false, requestID: "old"), at: 0)
        set.record(Sample(latency: 0.1, success: true, cache: .hit), at: 100)
        set.addCacheLookups(hits: 1, misses: 1, at: 100)

        let stats = set.stats(at: 100)
        #expect(stats.map(\.window) == [60, 300])
        #expect(stats.map(\.samples) == [1, 2])
        #expect(stats.map(\.failures) == [0, 1])
        #expect(stats.map(\.overThreshold) == [0, 1])
        #expect(stats.map(\.cacheHitRatio) == [2.0 / 3.0, 2.0 / 3.0])
        #expect(stats[1].recentFailures.map(\.requestID) == ["old"])

        set.setThreshold(0.05)
        #expect(set.threshold == 0.05)
        #expect(set.stats(at: 100).map(\.overThreshold) == [1, 2])
        #expect(set.stats(at: 400).map(\.samples) == [0, 0])
        #expect(set.memoryBound == set.windows.reduce(0) { $0 + $1.memoryBound })
    }
}
