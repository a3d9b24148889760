import Simulator
import Testing

@Suite struct WarmUserCacheTests {
    @Test func aNewUsersFirstLookupIsAColdMissThenHits() {
        let target = JourneyTarget(cacheHitRatio: 1)
        #expect(target.lookup("pool-1").header("X-Cache") == "MISS")
        #expect(target.lookup("pool-1").header("X-Cache") == "HIT")
        #expect(target.lookup("pool-2").header("X-Cache") == "MISS")
        #expect(target.lookup("pool-1").header("X-Cache") == "HIT")
        #expect(target.metric("entitlement_cache_hits_total") == 2)
        #expect(target.metric("entitlement_cache_misses_total") == 2)
    }

    @Test func aPoolLargerThanTheWarmSetKeepsMissing() {
        let target = JourneyTarget(cacheHitRatio: 1, cacheUsers: 10)
        var misses = 0
        for round in 0..<5 {
            for user in 0..<20 where target.lookup("pool-\(user)").header("X-Cache") == "MISS" {
                misses += 1
            }
            #expect(misses == 20 * (round + 1))
        }
        // Shrinking the pool below the warm set makes it hit again.
        for user in 0..<10 { _ = target.lookup("pool-\(user)") }
        #expect((0..<10).allSatisfy { target.lookup("pool-\($0)").header("X-Cache") == "HIT" })
    }

    @Test func missesAreSlowerByTheMissLatency() throws {
        let target = JourneyTarget(cacheHitRatio: 1)
        try FaultSettings.apply(["endpoint": "entitlement", "miss_latency": "250ms"], to: target.simulator)
        func timed(_ user: String) -> Double {
            let start = ContinuousClock.now
            _ = target.lookup(user)
            let elapsed = ContinuousClock.now - start
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
        #expect(timed("cold") >= 0.25)
        #expect(timed("cold") < 0.25)
    }

    @Test func cacheUsersChangesAtRunTime() throws {
        let target = JourneyTarget(cacheHitRatio: 1)
        _ = target.lookup("a")
        try FaultSettings.apply(["cache_users": "0"], to: target.simulator)
        #expect(target.simulator.cacheUsers == 0)
        #expect(target.lookup("a").header("X-Cache") == "MISS")
        #expect(target.lookup("a").header("X-Cache") == "MISS")
        #expect(throws: FaultSettings.InvalidSetting.self) {
            try FaultSettings.apply(["cache_users": "-1"], to: target.simulator)
        }
        try FaultSettings.apply(["cache_users": "5"], to: target.simulator)
        _ = target.lookup("a")
        #expect(target.lookup("a").header("X-Cache") == "HIT")
    }
}
