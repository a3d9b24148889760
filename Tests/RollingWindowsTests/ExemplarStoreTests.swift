import Config
import Exposition
import Foundation
import Probing
import RollingWindows
import Testing

/// Where trace ids are kept: each histogram bucket's latest traced run (its OpenMetrics exemplar), and each
/// window sample's trace id beside its request id (alert evidence).
@Suite struct ExemplarStoreTests {
    static let traces = (1...40).map { TraceID(String(format: "%032x", $0))! }

    @Test func eachBucketKeepsItsLatestRunAndAValueOnABoundStaysInThatBucket() {
        var histogram = LatencyHistogram(bounds: [0.1, 0.5])
        #expect(histogram.exemplars.isEmpty)
        histogram.observe(0.05, traceID: Self.traces[0], at: 10)
        histogram.observe(0.1, traceID: Self.traces[1], at: 11)
        histogram.observe(0.7, traceID: Self.traces[2], at: 12)
        histogram.observe(0.3, traceID: nil, at: 13)
        #expect(histogram.count == 4)
        #expect(histogram.cumulativeCounts == [2, 3])
        #expect(histogram.exemplars.count == 3)
        #expect(histogram.exemplars[0] == BucketExemplar(traceID: Self.traces[1], value: 0.1, timestamp: 11))
        #expect(histogram.exemplars[1] == nil)
        #expect(histogram.exemplars[2] == BucketExemplar(traceID: Self.traces[2], value: 0.7, timestamp: 12))
    }

    @Test func windowEvidenceCarriesEachSamplesTraceIDPastTheLogsGrowth() {
        var set = WindowSet(lengths: [60], threshold: 0.2)
        // 40 samples: the log grows from 16 to 32 to 64 entries, its trace ids with it.
        for index in 0..<40 {
            let slow = index % 10 == 3
            set.record(
                Sample(
                    latency: slow ? 0.3 + Double(index) / 1000 : 0.01,
                    success: index % 10 != 7,
                    requestID: "request-\(index)",
                    failureReason: index % 10 == 7 ? "http_status" : nil,
                    traceID: Self.traces[index]
                ),
                at: Double(index)
            )
        }
        let stats = set.stats(at: 40)[0]
        for exemplar in stats.slowest + stats.recentFailures {
            let index = Int(exemplar.requestID.dropFirst("request-".count))!
            #expect(exemplar.traceID == Self.traces[index].hex)
        }
        #expect(stats.recentFailures.map(\.requestID) == ["request-37", "request-27", "request-17", "request-7"])
        #expect(stats.slowest.first?.traceID == Self.traces[33].hex)
    }

    @Test func aProbeRunsTraceIDBecomesItsBucketsExemplarAndAStepsToo() {
        let store = ProbeStore()
        let probe = ProbeConfig(name: "entitlement", kind: .http, url: "http://localhost/", interval: .seconds(1))
        store.configure([probe], windows: [60])
        store.record(
            ProbeResult(
                probe: "entitlement",
                startedAt: 1_764_789_000.25,
                monotonicStart: 1,
                latency: 0.042,
                requestID: "r1",
                traceID: Self.traces[4].hex
            )
        )
        let snapshot = store.snapshots(at: 2)[0]
        let index = snapshot.duration.upperBounds.firstIndex { 0.042 <= $0 }!
        #expect(snapshot.duration.exemplars[index]?.traceID == Self.traces[4])
        #expect(snapshot.duration.exemplars[index]?.timestamp == 1_764_789_000.25)
        #expect(snapshot.history.runs.map(\.success) == [true])
        #expect(snapshot.windows[0].slowest.first?.traceID == Self.traces[4].hex)
    }

    @Test func theRunHistoryKeepsTheLatestRunsOldestFirst() {
        var history = RunHistory()
        for index in 0..<(RunHistory.capacity + 5) {
            history.append(RunHistory.Run(startedAt: Double(index), latency: 0.01, success: index % 2 == 0))
        }
        let runs = history.runs
        #expect(runs.count == RunHistory.capacity)
        #expect(runs.first?.startedAt == 5)
        #expect(runs.last?.startedAt == Double(RunHistory.capacity + 4))
        #expect(MemoryLayout<RunHistory.Run>.stride == 16)
    }
}
