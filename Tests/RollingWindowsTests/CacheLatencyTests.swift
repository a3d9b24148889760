import Probing
import RollingWindows
import Testing

@Suite struct CacheLatencyTests {
    @Test("hit and miss quantiles equal a sort of each outcome's samples", arguments: [1, 2, 20, 333, 4000])
    func perOutcomeQuantilesMatchSort(size: Int) throws {
        for seed in 0..<4 {
            var generator = SeededGenerator(seed: UInt64(seed + 7919 * size))
            var window = RollingWindow(length: 60, threshold: 0.25)
            var hits: [Int] = []
            var misses: [Int] = []
            var all: [Int] = []
            for index in 0..<size {
                let value = randomLatencyMicros(&generator)
                let outcome: CacheOutcome = [.hit, .hit, .miss, .unknown][Int.random(in: 0..<4, using: &generator)]
                switch outcome {
                case .hit: hits.append(value)
                case .miss: misses.append(value)
                case .unknown: break
                }
                all.append(value)
                let sample = Sample(latency: Double(value) / 1e6, success: true, cache: outcome)
                window.record(sample, at: 1000 + 59.9 * Double(index) / Double(size))
            }
            let stats = window.stats(at: 1059.95, exemplars: false)
            for (latency, values) in [(stats.hitLatency, hits), (stats.missLatency, misses)] {
                guard !values.isEmpty else {
                    #expect(latency == nil)
                    continue
                }
                let quantiles = try #require(latency)
                #expect(quantiles.samples == values.count)
                #expect(quantiles.p50 == Double(referenceQuantile(values, percent: 50)) / 1e6)
                #expect(quantiles.p95 == Double(referenceQuantile(values, percent: 95)) / 1e6)
                #expect(quantiles.p99 == Double(referenceQuantile(values, percent: 99)) / 1e6)
            }
            // The window's own quantiles still cover every sample.
            #expect(stats.p95 == Double(referenceQuantile(all, percent: 95)) / 1e6)
        }
    }

    @Test("slow misses move the miss p95 and leave the hit p95 alone")
    func slowMisses() throws {
        var window = RollingWindow(length: 60, threshold: 0.1)
        for index in 0..<100 {
            let miss = index % 5 == 0
            let latency = miss ? 0.4 + Double(index) / 1e4 : 0.01 + Double(index) / 1e5
            window.record(Sample(latency: latency, success: true, cache: miss ? .miss : .hit), at: 10)
        }
        let stats = window.stats(at: 10)
        let hit = try #require(stats.hitLatency)
        let miss = try #require(stats.missLatency)
        #expect(hit.samples == 80 && miss.samples == 20)
        #expect(hit.p95 < 0.02)
        #expect(miss.p95 > 0.4)
    }

    @Test("a window without cache outcomes has no per-outcome quantiles")
    func noOutcomes() {
        var window = RollingWindow(length: 60, threshold: 0.1)
        for index in 0..<10 { window.record(Sample(latency: Double(index) / 100, success: true), at: 3) }
        window.addCacheLookups(hits: 4, misses: 1, at: 3)
        let stats = window.stats(at: 3)
        #expect(stats.hitLatency == nil && stats.missLatency == nil)
        #expect(stats.p95 != nil)
    }

    @Test("per-outcome quantiles follow the window: expired hits leave, later misses stay")
    func expiry() throws {
        var window = RollingWindow(length: 60, slices: 30, threshold: 0.1)
        for _ in 0..<10 { window.record(Sample(latency: 0.005, success: true, cache: .hit), at: 0) }
        for _ in 0..<10 { window.record(Sample(latency: 0.3, success: true, cache: .miss), at: 50) }
        let early = window.stats(at: 55)
        #expect(early.hitLatency?.p95 == 0.005)
        #expect(early.missLatency?.p95 == 0.3)
        let late = window.stats(at: 100)
        #expect(late.hitLatency == nil)
        #expect(late.missLatency?.samples == 10)
    }
}
