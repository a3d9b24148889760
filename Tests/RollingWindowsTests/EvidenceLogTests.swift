import Exposition
import Testing

@testable import RollingWindows

/// The window keeps request IDs only for the samples that can still be evidence; what it reports must equal the
/// evidence chosen from every live sample.
@Suite struct EvidenceLogTests {
    private struct Recorded {
        var slice: Int
        var sequence: Int
        var micros: UInt32
        var id: String
        var success: Bool
    }

    /// The five slowest live samples (the newer first on a tie) and the five latest live failures, newest first.
    private func reference(_ recorded: [Recorded], oldestLive: Int) -> (slowest: [String], failures: [String]) {
        let live = recorded.filter { $0.slice >= oldestLive }
        let slowest = live.sorted { ($0.micros, $0.sequence) > ($1.micros, $1.sequence) }.prefix(5).map(\.id)
        let failures = live.filter { !$0.success }.sorted { $0.sequence > $1.sequence }.prefix(5).map(\.id)
        return (slowest, failures)
    }

    @Test("evidence equals a search of every live sample", arguments: [(2, 0), (50, 1), (1000, 2), (40, 3)])
    func evidenceMatchesBruteForce(distinctLatencies: Int, seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed * 7919 + distinctLatencies))
        // 10 s window of 5 slices; samples 0.1-0.7 s apart, with a jump past the whole window now and then.
        var window = RollingWindow(length: 10, slices: 5, threshold: 0.1)
        var recorded: [Recorded] = []
        var now = 100.0
        for sequence in 0..<3000 {
            now += sequence.isMultiple(of: 700) ? 11 : 0.1 + Double(generator.next() % 7) / 10
            // Few distinct latencies make ties, which the newer sample wins.
            let micros = UInt32(1 + generator.next() % UInt64(distinctLatencies)) * 1000
            let success = generator.next() % 4 != 0
            let id = "r\(sequence)"
            window.record(
                Sample(latency: Double(micros) / 1e6, success: success, requestID: id, failureReason: "timeout"),
                at: now
            )
            recorded.append(
                Recorded(
                    slice: Int((now / 2).rounded(.down)),
                    sequence: sequence,
                    micros: micros,
                    id: id,
                    success: success
                )
            )
            let at = now + Double(generator.next() % 30) / 10
            let stats = window.stats(at: at)
            let expected = reference(recorded, oldestLive: Int((at / 2).rounded(.down)) - 4)
            #expect(stats.slowest.map(\.requestID) == expected.slowest, "after sample \(sequence)")
            #expect(stats.recentFailures.map(\.requestID) == expected.failures, "after sample \(sequence)")
            #expect(stats.recentFailures.allSatisfy { $0.reason == "timeout" })
            if stats.slowest.map(\.requestID) != expected.slowest { return }
        }
    }

    @Test func fewCandidatesForRandomLatenciesAndAtMostFiveASliceWhenLatenciesOnlyFall() {
        var generator = SeededGenerator(seed: 7)
        var random = RollingWindow(length: 300, threshold: 0.1)
        var falling = RollingWindow(length: 300, threshold: 0.1)
        for second in 0..<600 {
            let micros = Double(randomLatencyMicros(&generator))
            random.record(Sample(latency: micros / 1e6, success: true, requestID: "r\(second)"), at: Double(second))
            falling.record(Sample(latency: Double(1000 - second) / 1e3, success: true), at: Double(second))
        }
        // 300 live samples of random latencies leave about 5 ln 300 (29) candidates.
        #expect(random.evidenceCandidates < 60)
        // Each later sample is faster, so none is ever beaten; the cap of five a slice bounds them (30 slices,
        // the current one partly filled).
        #expect(falling.evidenceCandidates <= 5 * 31)
        #expect(falling.stats(at: 599).slowest.map(\.latency) == [0.7, 0.699, 0.698, 0.697, 0.696])
    }

    @Test func longRequestIDsAndTraceIDsComeBackAsRecorded() {
        var window = RollingWindow(length: 60, threshold: 0.1)
        let long = "req-" + String(repeating: "x", count: 40)
        let trace = TraceID("4bf92f3577b34da6a3ce929d0e0e4736")
        window.record(
            Sample(latency: 0.5, success: false, requestID: long, failureReason: "status 503", traceID: trace),
            at: 1
        )
        window.record(Sample(latency: 0.2, success: true, requestID: "0f8fad5b-d9cb-469f-a165-70867728950e"), at: 2)
        let stats = window.stats(at: 3)
        #expect(stats.slowest.map(\.requestID) == [long, "0f8fad5b-d9cb-469f-a165-70867728950e"])
        #expect(stats.slowest.first?.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(stats.slowest.last?.traceID == nil)
        #expect(stats.recentFailures.first?.reason == "status 503")
        #expect(stats.slowest.last?.reason == nil)
    }
}
