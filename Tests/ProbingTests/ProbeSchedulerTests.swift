import Config
import Foundation
import HTTPClient
import HTTPServer
import Locking
import Synchronization
import Testing

@testable import Probing

final class Collected: Sendable {
    let results = Locked<[ProbeResult]>([])
    let lags = Locked<[Double]>([])
    let skipped = Locked(0)

    var observer: ProbeScheduler.Observer {
        ProbeScheduler.Observer(
            result: { r in self.results.withLock { $0.append(r) } },
            lag: { l in self.lags.withLock { $0.append(l) } },
            skipped: { _ in self.skipped.withLock { $0 += 1 } }
        )
    }
}

/// The scheduler wired to a real ``TransferLoop``: runs start on time, end, and are never overlapped. The schedule
/// itself is checked exactly on a simulated clock in ``ProbeScheduleTests``.
@Suite(.serialized) struct ProbeSchedulerTests {
    @Test func runsAtAFixedRateWithSmallLag() async throws {
        let server = try HTTPServer(options: ServerOptions(host: "127.0.0.1", port: 0)) { _ in .text("ok") }
        defer { server.stop() }
        let loop = TransferLoop(name: "scheduler-test")
        loop.start()
        defer { loop.shutdown() }
        let collected = Collected()
        let scheduler = ProbeScheduler(loop: loop, userAgent: "test", observer: collected.observer)
        var probe = ProbeConfig(name: "p", kind: .http, url: "http://127.0.0.1:\(server.port)/")
        probe.interval = .milliseconds(100)
        probe.timeout = .milliseconds(100)
        probe.jitter = 0.1
        let started = MonotonicTime.seconds()
        scheduler.update([probe])
        try await Task.sleep(for: .milliseconds(700))
        scheduler.stop()
        let elapsed = MonotonicTime.seconds() - started
        let count = collected.results.withLock { $0.count }
        // One run every 100 ms, never more. Other suites share the two cores while this runs, and a starved loop
        // skips ticks rather than bunching them, so only a lower bound with slack is asserted here; the exact
        // schedule is asserted on a simulated clock.
        let expected = elapsed / 0.1
        #expect(Double(count) >= expected * 0.6 && Double(count) <= expected + 2, "ran \(count) times in \(elapsed)s")
        let lags = collected.lags.withLock { $0 }.sorted()
        #expect(lags[lags.count / 2] < 0.01, "median lag \(lags[lags.count / 2])")
        #expect(collected.results.withLock { $0.allSatisfy(\.success) })
    }

    @Test func aSlowProbeIsNeverOverlappedAndSkippedTicksAreCounted() async throws {
        let active = Atomic<Int>(0)
        let maxActive = Atomic<Int>(0)
        let server = try HTTPServer(options: ServerOptions(host: "127.0.0.1", port: 0, threading: .threadPerConnection))
        {
            _ in
            let now = active.add(1, ordering: .relaxed).newValue
            _ = maxActive.max(now, ordering: .relaxed)
            usleep(250_000)
            active.subtract(1, ordering: .relaxed)
            return .text("slow")
        }
        defer { server.stop() }
        let loop = TransferLoop(name: "overlap-test")
        loop.start()
        defer { loop.shutdown() }
        let collected = Collected()
        let scheduler = ProbeScheduler(loop: loop, userAgent: "test", observer: collected.observer)
        var probe = ProbeConfig(name: "slow", kind: .http, url: "http://127.0.0.1:\(server.port)/")
        probe.interval = .milliseconds(100)
        probe.timeout = .seconds(1)
        probe.jitter = 0
        let started = MonotonicTime.seconds()
        scheduler.update([probe])
        try await Task.sleep(for: .milliseconds(800))
        scheduler.stop()
        let elapsed = MonotonicTime.seconds() - started
        #expect(maxActive.load(ordering: .relaxed) == 1)
        let count = collected.results.withLock { $0.count }
        let skipped = collected.skipped.withLock { $0 }
        // Each 250 ms run covers about two and a half ticks of 100 ms: the rest are skipped, never overlapped.
        #expect(Double(count) <= elapsed / 0.25 + 1, "completed \(count) in \(elapsed)s")
        #expect(skipped >= count, "skipped \(skipped), completed \(count)")
    }

    @Test func cacheLookupsComeFromTheTargetsOwnCounters() async throws {
        let lookups = Atomic<Int>(0)
        let server = try HTTPServer(options: ServerOptions(host: "127.0.0.1", port: 0)) { request in
            if request.path == "/metrics" {
                let n = lookups.load(ordering: .relaxed)
                return .text("entitlement_cache_hits_total \(n * 3)\nentitlement_cache_misses_total \(n)\n")
            }
            lookups.add(1, ordering: .relaxed)
            return .json("{}")
        }
        defer { server.stop() }
        let loop = TransferLoop(name: "cache-test")
        loop.start()
        defer { loop.shutdown() }
        var probe = ProbeConfig(
            name: "entitlement",
            kind: .entitlement,
            url: "http://127.0.0.1:\(server.port)/e",
            apiKey: Secret("k")
        )
        probe.cache = .metrics(url: "http://127.0.0.1:\(server.port)/metrics")
        let tracker = CacheCounterTracker()
        var deltas: [(hits: Int, misses: Int)?] = []
        for _ in 0..<3 {
            let result = await withCheckedContinuation { continuation in
                ProbeExecution.run(probe, on: loop, userAgent: "t", cacheTracker: tracker) {
                    continuation.resume(returning: $0)
                }
            }
            #expect(result.success)
            deltas.append(result.cacheLookups)
        }
        #expect(deltas[0] == nil)
        #expect(deltas[1]?.hits == 3 && deltas[1]?.misses == 1)
        #expect(deltas[2]?.hits == 3 && deltas[2]?.misses == 1)
    }
}
