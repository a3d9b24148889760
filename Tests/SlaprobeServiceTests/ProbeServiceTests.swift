import Config
import Foundation
import HTTPClient
import HTTPServer
import Locking
import Logging
import Probing
import RollingWindows
import ServiceLifecycle
import Testing

@testable import SlaprobeService

@Suite struct ProbeServiceHealthTests {
    static func service(stallAfter: Double) -> ProbeService {
        let config = SlaprobeConfig(
            global: GlobalConfig(),
            probes: [ProbeConfig(name: "p", kind: .http, url: "http://127.0.0.1:1/", interval: .seconds(1))],
            sourceFile: "test"
        )
        return ProbeService(
            source: .fixed(config),
            options: ProbeService.Options(listenAddress: "127.0.0.1:0", stallAfter: stallAfter),
            logger: Logger(label: "test")
        )
    }

    @Test func healthFailsWhenTheSchedulerLoopStopsBeating() async throws {
        // Never started: a loop counts as busy from its creation, so it shows as stalled.
        let stalled = Self.service(stallAfter: 0.2)
        #expect(stalled.unhealthyReason == nil)
        try await Task.sleep(for: .milliseconds(400))
        #expect(stalled.unhealthyReason?.contains("stalled") == true)
    }

    @Test func healthStaysGoodWhileTheLoopRunsAndReadinessWaitsForEveryProbe() async throws {
        let running = Self.service(stallAfter: 0.5)
        #expect(running.notReadyReason == "configuration not loaded")
        let group = ServiceGroup(services: try running.services(), logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            // Running once the web server listens. The first run comes within a second of that; a refused
            // connection still counts as having run.
            let listening = Date().addingTimeInterval(30)
            while running.port == nil && Date() < listening { try await Task.sleep(for: .milliseconds(20)) }
            let deadline = Date().addingTimeInterval(3)
            while running.notReadyReason != nil && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
            #expect(running.notReadyReason == nil)
            #expect(running.unhealthyReason == nil)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

@Suite struct TransferLoopServiceTests {
    @Test func itStartsEveryLoopAtOnceAndShutsThemDownAfterItsHook() async throws {
        let loops = (0..<3).map { TransferLoop(name: "test-\($0)") }
        // Never started, each counts as busy since its creation.
        try await Task.sleep(for: .milliseconds(300))
        #expect(loops.allSatisfy { $0.stalledSeconds >= 0.3 })
        let hookRan = Locked(false)
        let service = TransferLoopService(loops: loops, beforeShutdown: { hookRan.withLock { $0 = true } })
        let group = ServiceGroup(services: [service], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let deadline = Date().addingTimeInterval(10)
            while loops[0].stalledSeconds > 0.1 && Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
            // One of them is running, so all of them are.
            #expect(loops.allSatisfy { $0.stalledSeconds < 0.1 })
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(hookRan.withLock { $0 })
        let refused = await loops[2].perform(ClientRequest(url: "http://127.0.0.1:1/"))
        #expect(refused.error?.kind == .cancelled)
    }
}

@Suite struct ProbeStoreTests {
    @Test func resultsFeedCountersHistogramsAndWindows() {
        let store = ProbeStore()
        let probe = ProbeConfig(name: "p", kind: .entitlement, url: "http://x/", latencyThreshold: .milliseconds(120))
        store.configure([probe], windows: [60])
        for (index, latency) in [0.05, 0.2, 0.07].enumerated() {
            var result = ProbeResult(probe: "p", startedAt: 0, monotonicStart: Double(index), requestID: "r\(index)")
            result.latency = latency
            result.cache = index == 0 ? .hit : .miss
            if index == 1 { result.failure = .timeout }
            store.record(result)
        }
        let snapshot = try! #require(store.snapshots(at: 3).first)
        #expect(snapshot.successes == 2 && snapshot.failures == 1)
        #expect(snapshot.failures(.timeout) == 1)
        #expect(snapshot.cacheHits == 1 && snapshot.cacheMisses == 2)
        #expect(snapshot.duration.upperBounds.contains(0.12))
        #expect(snapshot.duration.count == 3)
        #expect(snapshot.windows.first?.overThreshold == 1)
        #expect(snapshot.windows.first?.p50 == 0.07)
        #expect(snapshot.recent.map(\.requestID) == ["r2", "r1", "r0"])
        #expect(store.probesWithoutResult.isEmpty)
    }

    @Test func plainHTTPProbesExportNoTLSPhaseAndHistogramSumsAreExact() {
        let store = ProbeStore()
        let plain = ProbeConfig(name: "plain", kind: .http, url: "http://x/")
        let secure = ProbeConfig(name: "secure", kind: .http, url: "HTTPS://x/")
        store.configure([plain, secure], windows: [60])
        for name in ["plain", "secure"] {
            for index in 0..<3 {
                var result = ProbeResult(probe: name, startedAt: 0, monotonicStart: Double(index), requestID: "r")
                result.latency = 0.1 + 0.2 * Double(index)  // 0.1 + 0.3 + 0.5 is 0.9000000000000001 in doubles
                result.timings = PhaseTimings(dns: 0.001, connect: 0.002, tls: 0.003, processing: 0.004, transfer: 0)
                store.record(result)
            }
        }
        let page = String(
            decoding: MetricsPage.render(
                store.snapshots(at: 3, exemplars: false),
                lag: store.schedulerLag,
                service: .init(
                    lastReloadSuccessful: true,
                    lastReloadSuccessTimestamp: 0,
                    version: "v",
                    revision: "r",
                    startTime: 0
                ),
                format: .text
            ),
            as: UTF8.self
        )
        #expect(!page.contains(#"probe="plain",phase="tls""#))
        #expect(page.contains(#"slaprobe_probe_phase_duration_seconds_count{probe="plain",phase="dns"} 3"#))
        #expect(page.contains(#"slaprobe_probe_phase_duration_seconds_count{probe="secure",phase="tls"} 3"#))
        #expect(page.contains(#"slaprobe_probe_phase_duration_seconds_sum{probe="secure",phase="tls"} 0.009"#))
        #expect(page.contains(#"slaprobe_probe_duration_seconds_sum{probe="plain"} 0.9"# + "\n"))
    }

    @Test func reloadKeepsCountersOfProbesThatStayAndDropsTheRest() {
        let store = ProbeStore()
        let a = ProbeConfig(name: "a", kind: .http, url: "http://x/")
        let b = ProbeConfig(name: "b", kind: .http, url: "http://x/")
        store.configure([a, b], windows: [60])
        store.record(ProbeResult(probe: "a", startedAt: 0, monotonicStart: 0, requestID: "1"))
        store.configure([a], windows: [60])
        let snapshots = store.snapshots(at: 1)
        #expect(snapshots.map(\.config.name) == ["a"])
        #expect(snapshots[0].successes == 1)
    }

    @Test func histogramIsCumulative() {
        var histogram = LatencyHistogram(bounds: [0.1, 0.5, 1])
        for value in [0.05, 0.1, 0.3, 2] { histogram.observe(value) }
        #expect(histogram.cumulativeCounts == [2, 3, 3])
        #expect(histogram.count == 4)
        #expect(histogram.sum == 2.45)
    }
}

@Suite struct LogFormatTests {
    @Test func logfmtQuotesWhatNeedsQuoting() {
        let line = LineLogHandler.logfmt([("msg", "probe failed"), ("probe", "a"), ("error", "say \"hi\"")])
        #expect(line == #"msg="probe failed" probe=a error="say \"hi\"""#)
    }

    @Test func jsonLinesAreValidJSON() throws {
        let line = LineLogHandler.json([("msg", "x\ny"), ("level", "info")])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object == ["msg": "x\ny", "level": "info"])
    }
}

@Suite struct ShardTests {
    @Test(arguments: ["0/1", "0/3", "2/3", "9/10"])
    func parsesValidShards(text: String) {
        #expect(Shard.parse(text)?.description == text)
    }

    @Test(arguments: ["", "1", "3/3", "-1/2", "0/0", "a/b", "1/2/3"])
    func refusesInvalidShards(text: String) {
        #expect(Shard.parse(text) == nil)
    }

    @Test func everyProbeBelongsToExactlyOneShardAndTheSplitIsEven() {
        let names = (0..<3000).map { "probe-\($0)" }
        let shards = (0..<3).map { Shard(index: $0, count: 3) }
        for name in names { #expect(shards.filter { $0.owns(name) }.count == 1) }
        let sizes = shards.map { shard in names.filter { shard.owns($0) }.count }
        #expect(sizes.allSatisfy { (900...1100).contains($0) }, "\(sizes)")
        #expect(Shard.fnv1a64("") == 0xcbf2_9ce4_8422_2325)
        #expect(Shard.fnv1a64("a") == 0xaf63_dc4c_8601_ec8c)
    }
}
