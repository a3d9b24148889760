import Foundation
import HTTPClient
import Probing
import SlaprobeService
import Testing

/// What `slaprobe once` prints for runs that succeeded, failed early or never got an answer.
@Suite struct OnceReportTests {
    private func result(
        _ name: String,
        timings: PhaseTimings,
        status: Int,
        failure: FailureReason? = nil
    ) -> ProbeResult {
        ProbeResult(
            probe: name,
            startedAt: 0,
            monotonicStart: 0,
            timings: timings,
            latency: timings.total,
            status: status,
            failure: failure,
            message: failure.map { "failed: \($0.rawValue)" },
            requestID: "id-\(name)"
        )
    }

    /// A DNS failure as libcurl reports it: no timestamp reached, only the total.
    private var dnsFailure: ProbeResult {
        result("lookup", timings: PhaseTimings(processing: 0.0123, total: 0.0123), status: 0, failure: .dns)
    }

    private var plainSuccess: ProbeResult {
        result(
            "plain",
            timings: PhaseTimings(
                dns: 0.000_1,
                connect: 0.000_2,
                processing: 0.007_499_000_000_000_000_5,
                transfer: 0.000_068,
                total: 0.007_867
            ),
            status: 200
        )
    }

    @Test func tableShowsADashForTLSOfPlainHTTPAndForPhasesADNSFailureNeverReached() throws {
        let report = OnceReport(results: [plainSuccess, dnsFailure], plainHTTPProbes: ["plain", "lookup"])
        let lines = report.table().split(separator: "\n").map {
            $0.split(separator: " ", omittingEmptySubsequences: true)
        }
        #expect(
            lines[0].prefix(9) == [
                "PROBE", "RESULT", "STATUS", "DNS", "CONNECT", "TLS", "PROCESSING", "TRANSFER", "TOTAL",
            ]
        )
        #expect(lines[1].prefix(9) == ["plain", "ok", "200", "0.10ms", "0.20ms", "-", "7.50ms", "0.07ms", "7.87ms"])
        #expect(lines[2].prefix(10) == ["lookup", "FAIL", "(dns)", "-", "12.30ms", "-", "-", "-", "-", "12.30ms"])
    }

    @Test func tlsStaysForHTTPSProbes() {
        let report = OnceReport(results: [plainSuccess], plainHTTPProbes: [])
        #expect(report.table().split(separator: "\n")[1].contains("0.00ms"))
    }

    @Test func jsonWritesNullForNoStatusAndPhasesNotReachedAndRoundsToTheMicrosecond() throws {
        let report = OnceReport(results: [plainSuccess, dnsFailure], plainHTTPProbes: ["plain", "lookup"])
        let text = report.json()
        #expect(!text.contains("0.0074990000000000005"))
        #expect(text.contains(#""processing_seconds":0.007499"#))
        #expect(text.contains(#""transfer_seconds":0.000068"#), "plain decimals, not 6.8e-05: \(text)")
        #expect(overlyPreciseNumbers(in: text).isEmpty, "\(text)")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(items[0]["status"] as? Int == 200)
        #expect(items[1]["status"] is NSNull)
        let phases = try #require(items[1]["phases"] as? [String: Any])
        #expect(phases["dns_seconds"] as? Double == 0.0123)
        for phase in ["connect", "tls", "processing", "transfer"] { #expect(phases["\(phase)_seconds"] is NSNull) }
        let plainPhases = try #require(items[0]["phases"] as? [String: Any])
        #expect(plainPhases["tls_seconds"] is NSNull)
        #expect(plainPhases["connect_seconds"] as? Double == 0.0002)
    }

    @Test func aConnectFailureKeepsItsDNSTimeAndPutsTheRestUnderConnect() {
        let failed = result(
            "refused",
            timings: PhaseTimings(dns: 0.001, processing: 0.004, total: 0.005),
            status: 0,
            failure: .connect
        )
        let row = OnceReport(results: [failed], plainHTTPProbes: ["refused"]).table().split(separator: "\n")[1]
            .split(separator: " ")
        #expect(row.prefix(10) == ["refused", "FAIL", "(connect)", "-", "1.00ms", "4.00ms", "-", "-", "-", "5.00ms"])
    }
}

/// The JSON number literals in `text` that have more than six decimals or an exponent.
func overlyPreciseNumbers(in text: String) -> [String] {
    text.split { ",:{}[]\n ".contains($0) }.map(String.init).filter { token in
        guard Double(token) != nil else { return false }
        let decimals = token.split(separator: ".").dropFirst().first?.count ?? 0
        return decimals > 6 || token.contains("e") || token.contains("E")
    }
}
