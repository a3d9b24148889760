import Foundation
import SlaprobeTesting
import Testing

/// The result log (`--log.results`): a line per failed run by default, a line per run with `all`, each with the
/// ids to find the request in the target's logs and traces, and never a secret.
@Suite(.serialized) struct ResultLogTests {
    static let environment = TargetConfig.environment

    static func config(targetPort: Int) -> String {
        TargetConfig.yaml(
            targetPort: targetPort,
            probes: TargetConfig.billingProbes("entitlement", "checkout", "webhook")
        )
    }

    /// The fields of a logfmt line (quoted values unescaped).
    static func fields(_ line: Substring) -> [String: String] {
        var fields: [String: String] = [:]
        for match in line.matches(of: /([a-z_]+)=("((?:[^"\\]|\\.)*)"|[^ ]*)/) {
            let value = match.output.3.map { String($0).replacingOccurrences(of: "\\\"", with: "\"") }
            fields[String(match.output.1)] = value ?? String(match.output.2)
        }
        return fields
    }

    /// The requests the target received, as (endpoint, request id, trace id).
    static func received(_ targetPort: Int) async throws -> [(endpoint: String, requestID: String, traceID: String)] {
        let body = await Harness.fetch("http://127.0.0.1:\(targetPort)/admin/requests").body
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        return (json["requests"] as? [[String: Any]] ?? []).map {
            ($0["endpoint"] as? String ?? "", $0["request_id"] as? String ?? "", $0["trace_id"] as? String ?? "")
        }
    }

    @Test func aFailedCheckoutRunIsOneLineWithReasonStatusAndIDsTheTargetReceived() async throws {
        let (target, targetPort) = try await FaultTests.startTarget()
        defer { target.stop() }
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (slaprobe, port, _) = try await Harness.startSlaprobe(
            config: Self.config(targetPort: targetPort),
            in: directory,
            environment: Self.environment
        )
        defer { slaprobe.stop() }
        _ = try await Harness.poll("http://127.0.0.1:\(port)/readyz", timeout: 15) { $0.status == 200 }
        // Healthy runs log nothing of their own by default.
        #expect(!slaprobe.text.contains("msg=\"probe run"))

        try await FaultTests.setFaults(targetPort, "endpoint=checkout&error_rate=1&status=500")
        let output = try await slaprobe.waitForOutput(timeout: 15) {
            $0.split(separator: "\n").filter { $0.contains("msg=\"probe run failed\"") }.count >= 3
        }
        let failed = output.split(separator: "\n").filter { $0.contains("msg=\"probe run failed\"") }
        let line = try #require(failed.first)
        #expect(line.contains("level=warning"), "\(line)")
        let fields = Self.fields(line)
        #expect(fields["probe"] == "checkout", "\(line)")
        #expect(fields["result"] == "failure")
        #expect(fields["reason"] == "http_status", "\(line)")
        #expect(fields["status"] == "500", "\(line)")
        #expect(Double(fields["latency"] ?? "") != nil, "\(line)")
        let requestID = try #require(fields["request_id"])
        let traceID = try #require(fields["trace_id"])
        #expect(traceID.wholeMatch(of: /[0-9a-f]{32}/) != nil, "\(line)")
        #expect(failed.allSatisfy { Self.fields($0)["probe"] == "checkout" }, "only checkout fails")
        let received = try await Self.received(targetPort)
        #expect(
            received.contains { $0.endpoint == "checkout" && $0.requestID == requestID && $0.traceID == traceID },
            "the target never received request \(requestID) in trace \(traceID)"
        )

        // /api/v1/probes shows the same run with the same pair of ids.
        let probes = await Harness.fetch("http://127.0.0.1:\(port)/api/v1/probes").body
        let json = try #require(try JSONSerialization.jsonObject(with: Data(probes)) as? [String: Any])
        let checkout = try #require((json["probes"] as? [[String: Any]])?.first { $0["name"] as? String == "checkout" })
        let recent = try #require(checkout["recent"] as? [[String: Any]])
        #expect(recent.allSatisfy { ($0["trace_id"] as? String)?.wholeMatch(of: /[0-9a-f]{32}/) != nil })
        #expect(
            recent.contains { $0["request_id"] as? String == requestID && $0["trace_id"] as? String == traceID },
            "the failed run \(requestID) among the recent results with trace id \(traceID)"
        )

        slaprobe.signal(SIGTERM)
        _ = await slaprobe.waitForExit(timeout: 10)
        let log = slaprobe.text
        #expect(!log.contains(FaultTests.key), "the API key appears in the log")
        #expect(!log.contains(FaultTests.secret), "the webhook secret appears in the log")
    }

    @Test func allLogsEverySuccessfulRunTooAndNoneLogsNoRun() async throws {
        let (target, targetPort) = try await FaultTests.startTarget()
        defer { target.stop() }
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("slaprobe.yml")
        try Self.config(targetPort: targetPort).write(to: file, atomically: true, encoding: .utf8)
        // Started directly: the harness finds the port in a logfmt line, and this one logs JSON.
        let slaprobe = try ManagedProcess(
            Harness.slaprobe,
            [
                "--config.file", file.path, "--web.listen-address", "127.0.0.1:0", "--log.results=all",
                "--log.format=json",
            ],
            environment: Self.environment
        )
        defer { slaprobe.stop() }
        let output = try await slaprobe.waitForOutput(timeout: 15) { text in
            ["entitlement", "checkout", "webhook"].allSatisfy {
                text.contains("\"msg\":\"probe run\"") && text.contains("\"probe\":\"\($0)\"")
            }
        }
        let runs = output.split(separator: "\n").filter { $0.contains("\"msg\":\"probe run\"") }
        #expect(runs.count >= 3)
        let first = try #require(runs.first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "info")
        #expect(object["result"] as? String == "success")
        #expect(object["status"] as? Int == 200)
        #expect(object["latency"] is Double || object["latency"] is Int)
        #expect((object["request_id"] as? String)?.count == 36)
        #expect((object["trace_id"] as? String)?.count == 32)
        #expect(object["reason"] == nil)
        #expect(!output.contains(FaultTests.key) && !output.contains(FaultTests.secret))

        let (quiet, _) = try await Harness.startSlaprobe(
            configFile: file,
            arguments: ["--log.results=none"],
            environment: Self.environment,
            name: "slaprobe-quiet"
        )
        defer { quiet.stop() }
        try await FaultTests.setFaults(targetPort, "endpoint=checkout&error_rate=1&status=500")
        _ = try await quiet.waitForOutput(timeout: 15) { $0.contains("msg=\"probe failing\"") }
        #expect(!quiet.text.contains("msg=\"probe run"), "none logs no run, and keeps the health changes")

        let (status, usage) = try Harness.run(Harness.slaprobe, ["run", "--log.results=some"])
        #expect(status != 0 && usage.contains("--log.results must be one of failures, all, none"), "\(usage)")
    }
}
