import RollingWindows
import Testing

@Suite struct RollingWindowTests {
    private func ok(_ seconds: Double, _ id: String = "") -> Sample {
        Sample(latency: seconds, success: true, requestID: id)
    }

    @Test("window quantiles equal a sort of the raw samples", arguments: [1, 2, 19, 20, 100, 1000, 5000])
    func quantilesMatchSort(size: Int) {
        for seed in 0..<5 {
            var generator = SeededGenerator(seed: UInt64(seed + 1000 * size))
            var window = RollingWindow(length: 60, threshold: 0.25)
            var micros: [Int] = []
            for index in 0..<size {
                let value = randomLatencyMicros(&generator)
                micros.append(value)
                // Spread the samples over the whole window, oldest first.
                window.record(ok(Double(value) / 1e6), at: 1000 + 59.9 * Double(index) / Double(size))
            }
            let stats = window.stats(at: 1059.95)
            #expect(stats.samples == size)
            #expect(stats.droppedLatencies == 0)
            #expect(stats.p50 == Double(referenceQuantile(micros, percent: 50)) / 1e6)
            #expect(stats.p95 == Double(referenceQuantile(micros, percent: 95)) / 1e6)
            #expect(stats.p99 == Double(referenceQuantile(micros, percent: 99)) / 1e6)
        }
    }

    @Test(
        "p50/p95/p99 of known sequences",
        arguments: [
            (Array(1...100), 50, 95, 99),
            (Array((1...100).reversed()), 50, 95, 99),
            (Array(1...10), 5, 10, 10),
            (Array(1...20), 10, 19, 20),
            ([7], 7, 7, 7),
            ([1, 2], 1, 2, 2),
            ([3, 3, 3, 1000], 3, 1000, 1000),
        ] as [([Int], Int, Int, Int)]
    )
    func knownSequences(milliseconds: [Int], p50: Int, p95: Int, p99: Int) {
        var window = RollingWindow(length: 60, threshold: 1)
        for value in milliseconds { window.record(ok(Double(value) / 1000), at: 5) }
        let stats = window.stats(at: 5)
        #expect(stats.p50 == Double(p50) / 1000)
        #expect(stats.p95 == Double(p95) / 1000)
        #expect(stats.p99 == Double(p99) / 1000)
    }

    @Test func emptyWindowHasNoRatiosOrQuantiles() {
        let stats = RollingWindow(length: 60, threshold: 0.1).stats(at: 10)
        #expect(stats == WindowStats(window: 60, threshold: 0.1))
        #expect(stats.errorRatio == nil && stats.overThresholdRatio == nil && stats.cacheHitRatio == nil)
        #expect(stats.p50 == nil && stats.p95 == nil && stats.p99 == nil)
    }

    @Test func samplesAndCountersExpireAfterTheWindowLength() {
        // 60 s window, 30 slices of 2 s. Slice [100, 102) stays live while now - 100 < 60.
        var window = RollingWindow(length: 60, threshold: 0.1)
        window.record(Sample(latency: 0.5, success: false, cache: .hit, requestID: "a"), at: 100)
        window.record(Sample(latency: 0.05, success: true, cache: .miss, requestID: "b"), at: 101.5)
        window.addCacheLookups(hits: 3, misses: 1, at: 101)
        window.record(ok(0.02, "c"), at: 130)

        let live = window.stats(at: 159.99)
        #expect(live.samples == 3)
        #expect(live.failures == 1)
        #expect(live.overThreshold == 1)
        #expect(live.cacheHits == 4 && live.cacheMisses == 2)
        #expect(live.p99 == 0.5)
        #expect(live.slowest.map(\.requestID) == ["a", "b", "c"])
        #expect(live.recentFailures.map(\.requestID) == ["a"])

        // At 160 the first slice is 60 s old: both of its samples vanish (slice granularity: "b" was only
        // 58.5 s old), and so do all its counters and evidence.
        let expired = window.stats(at: 160)
        #expect(expired.samples == 1)
        #expect(expired.failures == 0)
        #expect(expired.overThreshold == 0)
        #expect(expired.cacheHits == 0 && expired.cacheMisses == 0 && expired.cacheHitRatio == nil)
        #expect(expired.p50 == 0.02 && expired.p99 == 0.02)
        #expect(expired.slowest.map(\.requestID) == ["c"])
        #expect(expired.recentFailures.isEmpty)
        #expect(expired.errorRatio == 0)

        let empty = window.stats(at: 190)
        #expect(empty.samples == 0 && empty.p50 == nil && empty.errorRatio == nil)

        // Recording after expiry reuses the slice from scratch.
        window.record(ok(0.3), at: 200)
        #expect(window.stats(at: 200).samples == 1)
        #expect(window.stats(at: 200).p50 == 0.3)
    }

    @Test func timeJumpingFarAheadClearsEverything() {
        var window = RollingWindow(length: 10, slices: 5, threshold: 0.1)
        for step in 0..<100 { window.record(ok(0.2), at: Double(step) * 0.1) }
        #expect(window.stats(at: 9.9).samples == 100)
        window.record(ok(0.01), at: 1e9)
        let stats = window.stats(at: 1e9)
        #expect(stats.samples == 1)
        #expect(stats.p95 == 0.01)
        #expect(stats.overThreshold == 0)
    }

    @Test func earlierTimeDoesNotCrashAndCountsInTheLatestSlice() {
        var window = RollingWindow(length: 60, threshold: 0.1)
        window.record(ok(0.01), at: 100)
        window.record(ok(0.02), at: 99.5)  // slightly earlier than the last record
        window.record(ok(0.03), at: -5)  // far earlier
        window.record(ok(0.04), at: .nan)
        window.addCacheLookups(hits: 1, misses: 0, at: 98)
        #expect(window.stats(at: 100).samples == 4)
        #expect(window.stats(at: 50).samples == 4, "stats are taken at the latest time seen")
        #expect(window.stats(at: 159.9).samples == 4)
        #expect(window.stats(at: 160).samples == 0)
    }

    @Test("over-threshold count and ratio agree with p95", arguments: 0..<60)
    func overThresholdProperty(seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed))
        let size = Int.random(in: 1...3000, using: &generator)
        let micros = (0..<size).map { _ in randomLatencyMicros(&generator) }
        // Thresholds around the 95th percentile make both sides of the iff likely, including ties.
        let sorted = micros.sorted()
        let around = sorted[
            min(sorted.count - 1, Int(Double(sorted.count) * Double.random(in: 0.9...1, using: &generator)))
        ]
        let threshold = (Double(around) + [-1, 0, 0, 0.4, 0.6, 1].randomElement(using: &generator)!) / 1e6
        var window = RollingWindow(length: 60, threshold: threshold)
        for (index, value) in micros.enumerated() {
            window.record(ok(Double(value) / 1e6), at: 50 + 50 * Double(index) / Double(size))
        }
        let stats = window.stats(at: 100)
        let expectedOver = micros.filter { Double($0) / 1e6 > threshold }.count
        #expect(stats.overThreshold == expectedOver)
        #expect(stats.overThresholdRatio == Double(expectedOver) / Double(size))
        let p95 = try! #require(stats.p95)
        #expect((stats.overThresholdRatio! > 0.05) == (p95 > threshold), "threshold \(threshold) p95 \(p95)")
    }

    @Test(
        "threshold is compared at microsecond resolution, consistently with the quantiles",
        arguments: [
            (0.25, 0.25, false), (0.25, 0.250001, true), (0.2500006, 0.250001, true), (0.2500004, 0.25, false),
            (0.2500006, 0.25, false), (0, 0.000001, true), (0, 0, false), (1, 0.9999996, false), (0.3, 0.3, false),
            (0.3, 0.300001, true), (0.7, 0.7, false), (0.0000005, 0.000001, true), (0.0000005, 0.0000004, false),
        ] as [(Double, Double, Bool)]
    )
    func thresholdResolution(threshold: Double, latency: Double, over: Bool) {
        var window = RollingWindow(length: 60, threshold: threshold)
        window.record(ok(latency), at: 1)
        let stats = window.stats(at: 1)
        #expect(stats.overThreshold == (over ? 1 : 0))
        #expect((stats.p95! > threshold) == over)
    }

    @Test func cacheHitRatio() {
        var window = RollingWindow(length: 60, threshold: 1)
        window.record(Sample(latency: 0.1, success: true, cache: .hit), at: 1)
        window.record(Sample(latency: 0.1, success: true, cache: .hit), at: 2)
        window.record(Sample(latency: 0.1, success: true, cache: .miss), at: 3)
        window.record(Sample(latency: 0.1, success: true, cache: .unknown), at: 4)
        #expect(window.stats(at: 4).cacheHitRatio == 2.0 / 3.0)
        window.addCacheLookups(hits: 5, misses: 1, at: 5)
        window.addCacheLookups(hits: -3, misses: -3, at: 5)  // ignored
        let stats = window.stats(at: 5)
        #expect(stats.cacheHits == 7 && stats.cacheMisses == 2)
        #expect(stats.cacheHitRatio == 7.0 / 9.0)
        #expect(stats.samples == 4)

        var unknownOnly = RollingWindow(length: 60, threshold: 1)
        unknownOnly.record(Sample(latency: 0.1, success: true), at: 1)
        #expect(unknownOnly.stats(at: 1).cacheHitRatio == nil)
    }

    @Test func capDropsLatenciesButKeepsCounting() {
        var window = RollingWindow(length: 10, slices: 2, threshold: 0.5, maxLatenciesPerSlice: 10)
        for index in 0..<25 {
            window.record(Sample(latency: Double(index + 1) / 10, success: index % 5 != 0), at: 1)
        }
        let stats = window.stats(at: 1)
        #expect(stats.samples == 25)
        #expect(stats.failures == 5)
        #expect(stats.overThreshold == 20)
        #expect(stats.storedLatencies == 10)
        #expect(stats.droppedLatencies == 15)
        #expect(stats.quantilesApproximate)
        #expect(stats.p99 == 1.0, "quantiles come from the first 10 stored latencies")
        #expect(stats.slowest.first?.latency == 1.0, "evidence comes from the logged samples")

        window.record(ok(0.1), at: 6)  // the other slice has room again
        let later = window.stats(at: 6)
        #expect(later.storedLatencies == 11 && later.droppedLatencies == 15)
        #expect(!RollingWindow(length: 10, threshold: 1).stats(at: 0).quantilesApproximate)
    }

    @Test func memoryStaysFixedAfterManyRounds() {
        let cap = 64
        var window = RollingWindow(length: 10, slices: 5, threshold: 0.1, maxLatenciesPerSlice: cap)
        var generator = SeededGenerator(seed: 42)
        var capacityAfterFirstRound = 0
        for round in 0..<200 {
            // Each round fills every slice past the cap, then moves on by a whole window.
            for step in 0..<500 {
                let now = Double(round) * 10 + Double(step) * 0.02
                window.record(ok(Double(randomLatencyMicros(&generator)) / 1e6, "r\(step)"), at: now)
            }
            if round == 0 { capacityAfterFirstRound = window.latencyCapacity }
            #expect(window.latencyCapacity == capacityAfterFirstRound)
        }
        #expect(capacityAfterFirstRound >= 5 * cap)
        #expect(capacityAfterFirstRound <= 5 * (cap + 16), "capacity must not grow past the cap")
        #expect(window.memoryBound >= 5 * cap * MemoryLayout<UInt32>.stride)
        // The default cap (512 a slice) bounds a window at about three quarters of a megabyte whatever the probe
        // rate: 15,360 samples of 32 bytes, and their 16-byte trace ids beside them.
        #expect(RollingWindow(length: 60, threshold: 1).memoryBound < 750_000)
    }

    @Test func evidenceIsMergedAcrossSlices() {
        var window = RollingWindow(length: 60, threshold: 0.1)
        for index in 0..<20 {
            let latency = Double((index * 7) % 20) / 100
            let success = !index.isMultiple(of: 3)
            window.record(
                Sample(latency: latency, success: success, requestID: "id\(index)", failureReason: "status \(index)"),
                at: Double(index) * 2.5
            )
        }
        let stats = window.stats(at: 50)
        #expect(stats.slowest.map(\.latency) == [0.19, 0.18, 0.17, 0.16, 0.15])
        #expect(stats.slowest.first?.requestID == "id17")
        #expect(stats.recentFailures.map(\.requestID) == ["id18", "id15", "id12", "id9", "id6"])
        #expect(stats.recentFailures.first?.reason == "status 18")
        #expect(stats.recentFailures.first?.time == 45)
    }

    @Test(
        "request IDs and reasons come back exactly, whether kept in 16 bytes or not",
        arguments: [
            "0f8e2b4c-9a1d-4e7f-8b3a-5c6d7e8f9a0b",  // slaprobe's own: 16 raw bytes
            "0F8E2B4C-9A1D-4E7F-8B3A-5C6D7E8F9A0B",  // uppercase would not come back the same: kept as a string
            "0f8e2b4c-9a1d-4e7f-8b3a-5c6d7e8f9a0",  // 35 characters
            "g0000000-0000-4000-8000-000000000000",  // not hex
            "", "a", "exactly-16-bytes", "seventeen-bytes!!", String(repeating: "x", count: 200), "ünïcödé-ïd",
        ]
    )
    func requestIDsRoundTrip(id: String) {
        var window = RollingWindow(length: 60, threshold: 0.1)
        window.record(Sample(latency: 0.5, success: false, requestID: id, failureReason: "timeout"), at: 1)
        window.record(Sample(latency: 0.2, success: false, requestID: id, failureReason: "reason \(id)"), at: 2)
        let stats = window.stats(at: 2)
        #expect(stats.slowest.map(\.requestID) == [id, id])
        #expect(stats.recentFailures.map(\.reason) == ["reason \(id)", "timeout"])
        #expect(window.stats(at: 2, exemplars: false).slowest.isEmpty)
    }

    @Test func setThresholdRecountsOverThreshold() {
        var window = RollingWindow(length: 60, threshold: 0.1)
        for milliseconds in 1...100 { window.record(ok(Double(milliseconds) / 1000), at: 1) }
        #expect(window.stats(at: 1).overThreshold == 0)
        window.setThreshold(0.09)
        #expect(window.stats(at: 1).overThreshold == 10)
        #expect(window.stats(at: 1).threshold == 0.09)
        window.record(ok(0.095), at: 2)
        #expect(window.stats(at: 2).overThreshold == 11)
    }
}
