import HTTPClient
import Probing
import RollingWindows
import Testing

@Suite struct RecentResultsTests {
    private func result(_ index: Int, requestID: String? = nil, traceID: String? = nil) -> ProbeResult {
        ProbeResult(
            probe: "checkout",
            startedAt: 1_700_000_000 + Double(index),
            monotonicStart: Double(index),
            timings: PhaseTimings(dns: 0.001, connect: 0.002, processing: 0.01, total: 0.0131),
            latency: 0.0131 + Double(index) / 1e6,
            status: index.isMultiple(of: 3) ? 503 : 200,
            bytes: index,
            cache: index.isMultiple(of: 2) ? .hit : .miss,
            cacheLookups: index.isMultiple(of: 5) ? (hits: index, misses: 1) : nil,
            failure: index.isMultiple(of: 3) ? .httpStatus : nil,
            message: index.isMultiple(of: 3) ? "HTTP 503" : nil,
            requestID: requestID ?? "0f8fad5b-d9cb-469f-a165-\(String(100_000_000_000 + index))",
            certificateExpiry: index.isMultiple(of: 4) ? 1_800_000_000 : nil,
            traceID: traceID ?? "4bf92f3577b34da6a3ce929d0e0e\(String(1000 + index))",
            steps: index == 7 ? [StepResult(name: "checkout", latency: 0.01, status: 201, requestID: "s7")] : []
        )
    }

    private func same(_ a: ProbeResult, _ b: ProbeResult) -> Bool {
        a.probe == b.probe && a.startedAt == b.startedAt && a.monotonicStart == b.monotonicStart
            && a.timings == b.timings && a.latency == b.latency && a.status == b.status && a.bytes == b.bytes
            && a.cache == b.cache && a.cacheLookups?.hits == b.cacheLookups?.hits
            && a.cacheLookups?.misses == b.cacheLookups?.misses && a.failure == b.failure && a.message == b.message
            && a.requestID == b.requestID && a.certificateExpiry == b.certificateExpiry && a.traceID == b.traceID
            && a.steps.map(\.requestID) == b.steps.map(\.requestID)
    }

    @Test func keepsTheLatestNewestFirstAndGivesEachBackAsItCame() {
        var recent = RecentResults(limit: 20)
        #expect(recent.isEmpty && recent.first == nil)
        var all: [ProbeResult] = []
        for index in 0..<45 {
            all.append(result(index))
            recent.insert(all[index])
            let expected = Array(all.reversed().prefix(20))
            #expect(recent.count == expected.count)
            #expect(zip(recent, expected).allSatisfy(same), "after \(index + 1) results")
        }
    }

    @Test func identifiersOfAnyShapeComeBackExactly() {
        let shapes = [
            ("0F8FAD5B-D9CB-469F-A165-70867728950E", "4BF92F3577B34DA6A3CE929D0E0E4736"),
            ("req-" + String(repeating: "x", count: 40), "not-a-trace-id"),
            ("", "4bf92f3577b34da6a3ce929d0e0e4736"),
            ("short", ""),
        ]
        var recent = RecentResults(limit: 5)
        for (index, shape) in shapes.enumerated() { recent.insert(result(index, requestID: shape.0, traceID: shape.1)) }
        recent.insert(result(9))
        #expect(recent.dropFirst().map(\.requestID) == shapes.reversed().map(\.0))
        #expect(recent.dropFirst().map(\.traceID) == shapes.reversed().map(\.1))
    }

    @Test func aLimitOfOneKeepsTheNewest() {
        var recent = RecentResults(limit: 1)
        recent.insert(result(1))
        recent.insert(result(2))
        #expect(recent.map(\.monotonicStart) == [2])
    }
}
