import Foundation
import SlaprobeTesting
import Testing

/// `slaprobe gate` against `slaprobe target`: a healthy target passes, a slow one fails naming the value and the
/// threshold, too few runs are undecided; the JUnit report is read by a real JUnit parser.
@Suite(.serialized) struct GateTests {
    static let key = "sk_test_gate_key_7a21"
    static let secret = "whsec_gate_secret_3c9e"

    /// One test case as junitparser reads it.
    struct JUnitCase: Decodable {
        var classname: String
        var name: String
        var result: String
        var message: String?
    }

    static func startTarget() async throws -> (ManagedProcess, Int) {
        let target = try ManagedProcess(
            Harness.slaprobe,
            [
                "target", "--web.listen-address", "127.0.0.1:0", "--latency", "0s", "--jitter", "0s",
                "--miss-latency", "0s", "--cache-hit-ratio", "1", "--grant-delay", "0s", "--grant-jitter", "0s",
            ],
            environment: ["SLAPROBE_API_KEY": key, "SLAPROBE_WEBHOOK_SECRET": secret],
            name: "target"
        )
        return (target, try await target.listeningPort(message: "simulated billing API listening"))
    }

    /// Runs `slaprobe gate` against the target with the reports in `directory`: (status, output).
    static func gate(_ port: Int, _ arguments: [String], in directory: URL) throws -> (Int32, String) {
        try Harness.run(
            Harness.slaprobe,
            ["gate", "--target.url", "http://127.0.0.1:\(port)"] + arguments + [
                "--report.json", directory.appendingPathComponent("gate.json").path,
                "--report.junit", directory.appendingPathComponent("gate.xml").path,
            ],
            environment: ["SLAPROBE_API_KEY": key, "SLAPROBE_WEBHOOK_SECRET": secret]
        )
    }

    /// The test cases of the JUnit file, read with junitparser.
    static func junitCases(in directory: URL) throws -> [JUnitCase] {
        let script = """
            import json, sys
            from junitparser import JUnitXml, Failure, Skipped, Error
            cases = []
            for suite in JUnitXml.fromfile(sys.argv[1]):
                for case in suite:
                    kinds = [r for r in case.result if isinstance(r, (Failure, Skipped, Error))]
                    result = type(kinds[0]).__name__.lower() if kinds else "passed"
                    message = kinds[0].message if kinds else None
                    cases.append({"classname": case.classname, "name": case.name, "result": result, "message": message})
            print(json.dumps(cases))
            """
        let (status, output) = try Harness.run(
            "python3",
            ["-c", script, directory.appendingPathComponent("gate.xml").path]
        )
        guard status == 0 else { throw TestFailure("junitparser: \(output)") }
        return try JSONDecoder().decode([JUnitCase].self, from: Data(output.utf8))
    }

    static func jsonReport(in directory: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: directory.appendingPathComponent("gate.json"))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TestFailure("the JSON report is no object")
        }
        return object
    }

    /// The same config file as `run`, with the rules' minimum samples taken from its `alerting:` section.
    static func configFile(targetPort: Int, in directory: URL) throws -> String {
        let config = """
            global:
              interval: 200ms
            target:
              url: http://127.0.0.1:\(targetPort)
              api_key_env: GATE_KEY
              webhook_secret_env: GATE_SECRET
            probes:
              - name: entitlement
                kind: entitlement
              - name: checkout
                kind: checkout
              - name: webhook
                kind: webhook
              - name: purchase
                kind: journey
                journey: purchase
            alerting:
              rules:
                - name: SlaprobeErrorRatioHigh
                  kind: error_ratio
                  min_samples: 25
                - name: SlaprobeCacheHitRatioLow
                  kind: cache_hit_ratio
                  min_samples: 25
            """
        let file = directory.appendingPathComponent("slaprobe.yml")
        try config.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    @Test func aHealthyTargetPassesTheGate() async throws {
        let (target, port) = try await Self.startTarget()
        defer { target.stop() }
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = try Self.configFile(targetPort: port, in: directory)

        let (status, output) = try Harness.run(
            Harness.slaprobe,
            [
                "gate", "--config.file", config, "--runs", "25",
                "--report.json", directory.appendingPathComponent("gate.json").path,
                "--report.junit", directory.appendingPathComponent("gate.xml").path,
            ],
            environment: ["GATE_KEY": Self.key, "GATE_SECRET": Self.secret]
        )
        #expect(status == 0, "\(output)")
        #expect(output.contains("gate passed: all"), "\(output)")
        #expect(output.contains("gate: running 4 probes until each has run 25 times"), "\(output)")
        let cases = try Self.junitCases(in: directory)
        #expect(cases.allSatisfy { $0.result == "passed" }, "\(cases)")
        // Latency and errors for four probes, latency for the journey's steps with an SLA, cache for entitlement.
        #expect(cases.count >= 9, "\(cases)")
        #expect(cases.contains { $0.classname == "slaprobe.gate.SlaprobeCacheHitRatioLow" && $0.name == "entitlement" })
        #expect(
            cases.contains {
                $0.classname == "slaprobe.gate.SlaprobeLatencyHigh" && $0.name.hasPrefix("purchase step ")
            }
        )
        let report = try Self.jsonReport(in: directory)
        #expect(report["outcome"] as? String == "passed")
        #expect(report["exit_code"] as? Int == 0)
        #expect((report["runs"] as? [String: Any])?["entitlement"] as? Int == 25)
        let checks = try #require(report["checks"] as? [[String: Any]])
        let errors = try #require(checks.first { $0["rule"] as? String == "SlaprobeErrorRatioHigh" })
        #expect(errors["min_samples"] as? Int == 25)
        #expect(errors["samples"] as? Int == 25)
    }

    @Test func slowEntitlementsFailTheGateNamingP95AndTheThreshold() async throws {
        let (target, port) = try await Self.startTarget()
        defer { target.stop() }
        let faults = await Harness.fetch(
            "http://127.0.0.1:\(port)/admin/faults?endpoint=entitlement&latency=150ms",
            method: "POST"
        )
        try #require(faults.status == 200, "\(faults.bodyString)")
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }

        let (status, output) = try Self.gate(port, ["--probe.interval", "250ms", "--runs", "21"], in: directory)
        #expect(status == 1, "\(output)")
        let cases = try Self.junitCases(in: directory)
        let failures = cases.filter { $0.result == "failure" }
        #expect(failures.count == 1, "\(cases)")
        let failure = try #require(failures.first)
        #expect(failure.classname == "slaprobe.gate.SlaprobeLatencyHigh")
        #expect(failure.name == "entitlement")
        let message = failure.message ?? ""
        #expect(message.wholeMatch(of: /entitlement p95 0\.1[5-9]\d*s > threshold 0\.1s/) != nil, "\(message)")
        // The other probes' latency holds: the failure is the slow endpoint's alone.
        #expect(
            cases.contains {
                $0.classname == "slaprobe.gate.SlaprobeLatencyHigh" && $0.name == "checkout" && $0.result == "passed"
            }
        )
        #expect(output.contains("gate failed: 1 of"))
        let report = try Self.jsonReport(in: directory)
        #expect(report["exit_code"] as? Int == 1)
        let checks = try #require(report["checks"] as? [[String: Any]])
        let latency = try #require(
            checks.first { $0["rule"] as? String == "SlaprobeLatencyHigh" && $0["probe"] as? String == "entitlement" }
        )
        #expect(latency["verdict"] as? String == "broken")
        #expect((latency["value"] as? Double ?? 0) >= 0.15)
        #expect(latency["threshold"] as? Double == 0.1)
    }

    @Test func twoRunsAreTooFewToJudge() async throws {
        let (target, port) = try await Self.startTarget()
        defer { target.stop() }
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }

        let (status, output) = try Self.gate(port, ["--probe.interval", "50ms", "--runs", "2"], in: directory)
        #expect(status == 2, "\(output)")
        #expect(output.contains("needs 100 samples"), "\(output)")
        let cases = try Self.junitCases(in: directory)
        #expect(!cases.isEmpty && cases.allSatisfy { $0.result == "skipped" }, "\(cases)")
        #expect(cases.contains { $0.message == "entitlement p95: 2 samples, need 20" }, "\(cases)")
        let report = try Self.jsonReport(in: directory)
        #expect(report["outcome"] as? String == "insufficient_data")
        #expect(report["samples_needed"] as? Int == 100)
    }

    @Test func aDurationGateShowsProgressWhileItRuns() async throws {
        let (target, port) = try await Self.startTarget()
        defer { target.stop() }
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }

        let (status, output) = try Self.gate(port, ["--probe.interval", "250ms", "--duration", "6s"], in: directory)
        // About 24 runs: latency is judged (20 needed), the error ratio is not (100 needed).
        #expect(status == 2, "\(output)")
        #expect(output.contains("gate: running 4 probes for 6s"), "\(output)")
        #expect(output.contains("gate: 5s elapsed, runs so far: entitlement="), "\(output)")
        let report = try Self.jsonReport(in: directory)
        let duration = try #require(report["duration_seconds"] as? Double)
        #expect(duration >= 6 && duration < 7, "\(duration)")
    }

    @Test func gateNeedsADurationOrARunCount() throws {
        let (status, output) = try Harness.run(Harness.slaprobe, ["gate", "--target.url", "http://127.0.0.1:1"])
        #expect(status != 0 && status != 1 && status != 2, "\(output)")
        #expect(output.contains("--duration D or --runs N"), "\(output)")
    }
}
