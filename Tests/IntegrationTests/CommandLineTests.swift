import Foundation
import SlaprobeTesting
import Testing

/// The command line as an operator uses it: check-config, once, reload, zero config and secret hygiene.
@Suite(.serialized) struct CommandLineTests {
    static let key = "sk_live_SECRET_VALUE_7731_do_not_print"
    static let secret = "whsec_SECRET_VALUE_9913_do_not_print"

    @Test func checkConfigAcceptsAValidFileAndNamesFileLineAndKeyOtherwise() throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("good.yml")
        try """
        probes:
          - name: status
            kind: http
            url: http://127.0.0.1:1/health
        """.write(to: good, atomically: true, encoding: .utf8)
        let (okStatus, okOutput) = try Harness.run(Harness.slaprobe, ["check-config", good.path])
        #expect(okStatus == 0)
        #expect(okOutput == "\(good.path): OK, 1 probe (status)\n")

        let bad = directory.appendingPathComponent("bad.yml")
        try """
        global:
          interval: 5s
        probes:
          - name: status
            kind: http
            url: http://127.0.0.1:1/health
            timeout: fast
        """.write(to: bad, atomically: true, encoding: .utf8)
        let (status, output) = try Harness.run(Harness.slaprobe, ["check-config", bad.path])
        #expect(status == 1)
        #expect(output.hasPrefix("\(bad.path):7:"), "\(output)")
        #expect(output.contains("probes[0].timeout"))
    }

    @Test func theShippedExampleConfigIsValid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let example = root.appendingPathComponent("examples/slaprobe.yml").path
        let (status, output) = try Harness.run(
            Harness.slaprobe,
            ["check-config", example],
            environment: ["SLAPROBE_API_KEY": "k", "SLAPROBE_WEBHOOK_SECRET": "s"]
        )
        #expect(status == 0, "\(output)")
        #expect(output.contains("OK, 6 probes (entitlement, checkout, webhook, status-page, purchase, refund)"))
    }

    @Test func onceRunsEveryProbePrintsATableAndExitsNonZeroOnFailure() async throws {
        let (target, port) = try await FaultTests.startTarget()
        defer { target.stop() }
        let environment = ["SLAPROBE_API_KEY": FaultTests.key, "SLAPROBE_WEBHOOK_SECRET": FaultTests.secret]
        let (status, output) = try Harness.run(
            Harness.slaprobe,
            ["once", "--target.url", "http://127.0.0.1:\(port)"],
            environment: environment
        )
        #expect(status == 0, "\(output)")
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("PROBE") == true)
        for name in ["entitlement", "checkout", "webhook", "purchase"] {
            #expect(lines.contains { $0.hasPrefix(name) && $0.contains(" ok ") }, "\(output)")
        }
        #expect(lines[0].contains("DNS") && lines[0].contains("PROCESSING") && lines[0].contains("TOTAL"))

        let (jsonStatus, json) = try Harness.run(
            Harness.slaprobe,
            ["once", "--target.url", "http://127.0.0.1:\(port)", "--output", "json"],
            environment: environment
        )
        #expect(jsonStatus == 0)
        let results = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        // The three billing probes and the purchase journey (both secrets given).
        #expect(results.count == 4)
        #expect(results.allSatisfy { $0["success"] as? Bool == true })

        let (failStatus, failOutput) = try Harness.run(
            Harness.slaprobe,
            ["once", "--target.url", "http://127.0.0.1:\(port)"],
            environment: ["SLAPROBE_API_KEY": "wrong-key", "SLAPROBE_WEBHOOK_SECRET": FaultTests.secret]
        )
        #expect(failStatus == 1)
        #expect(failOutput.contains("FAIL (http_status)"))
    }

    @Test func shardsSplitTheProbesWithoutOverlap() async throws {
        let (target, port) = try await FaultTests.startTarget()
        defer { target.stop() }
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("slaprobe.yml")
        let names = (0..<12).map { "status-\($0)" }
        try
            ("probes:\n"
            + names.map { "  - name: \($0)\n    kind: http\n    url: http://127.0.0.1:\(port)/healthz\n" }.joined())
            .write(to: file, atomically: true, encoding: .utf8)
        var seen: [String] = []
        for index in 0..<3 {
            let (status, output) = try Harness.run(
                Harness.slaprobe,
                ["once", "--config.file", file.path, "--shard", "\(index)/3", "--output", "json"]
            )
            #expect(status == 0, "\(output)")
            let results = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
            #expect(!results.isEmpty)
            seen += results.compactMap { $0["probe"] as? String }
        }
        #expect(seen.sorted() == names.sorted())
        let (badStatus, badOutput) = try Harness.run(
            Harness.slaprobe,
            ["once", "--config.file", file.path, "--shard", "3/3"]
        )
        #expect(badStatus != 0)
        #expect(badOutput.contains("--shard must be INDEX/COUNT"))
    }

    @Test func zeroConfigWithoutSecretsIsAClearError() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["SLAPROBE_API_KEY"] = nil
        environment["SLAPROBE_WEBHOOK_SECRET"] = nil
        let process = try ManagedProcess(
            Harness.slaprobe,
            ["--target.url", "http://127.0.0.1:1", "--web.listen-address", "127.0.0.1:0"],
            environment: environment,
            inheritEnvironment: false
        )
        let exit = try #require(awaitExit(process))
        #expect(exit == 1)
        #expect(process.text.contains("SLAPROBE_API_KEY"))
        #expect(process.text.contains("SLAPROBE_WEBHOOK_SECRET"))
    }

    @Test func reloadKeepsTheOldConfigWhenTheNewOneIsInvalidAndAppliesAValidOne() async throws {
        let (target, targetPort) = try await FaultTests.startTarget()
        defer { target.stop() }
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("slaprobe.yml")
        func write(_ names: [String], extra: String = "") throws {
            let probes = names.map {
                "  - name: \($0)\n    kind: http\n    url: http://127.0.0.1:\(targetPort)/healthz\n    interval: 200ms\n"
            }.joined()
            try "probes:\n\(probes)\(extra)".write(to: file, atomically: true, encoding: .utf8)
        }
        try write(["first"])
        let (slaprobe, port) = try await Harness.startSlaprobe(configFile: file)
        defer { slaprobe.stop() }
        let base = "http://127.0.0.1:\(port)"
        _ = try await Harness.poll(base + "/readyz", timeout: 10) { $0.status == 200 }

        // An invalid file is refused with its location; the running probes continue.
        try write(["first"], extra: "bogus_key: 1\n")
        let refused = await Harness.fetch(base + "/-/reload", method: "POST")
        #expect(refused.status == 500)
        #expect(refused.bodyString.contains("slaprobe.yml:"))
        #expect(refused.bodyString.contains("bogus_key"))
        var metrics = await Harness.fetch(base + "/metrics").bodyString
        #expect(Harness.sample(metrics, "slaprobe_config_last_reload_successful") == 0)
        #expect(metrics.contains(#"slaprobe_probes_total{probe="first",result="success"}"#))

        // A valid file through POST /-/reload.
        try write(["first", "second"])
        #expect(await Harness.fetch(base + "/-/reload", method: "POST").status == 200)
        metrics = await Harness.fetch(base + "/metrics").bodyString
        #expect(Harness.sample(metrics, "slaprobe_config_last_reload_successful") == 1)
        let runsBefore = Harness.sample(metrics, #"slaprobe_probes_total{probe="first",result="success"}"#) ?? 0
        #expect(runsBefore > 0, "counters survive a reload")

        // SIGHUP: the second probe goes, the third comes.
        try write(["first", "third"])
        slaprobe.signal(SIGHUP)
        let after = try await Harness.poll(base + "/metrics", timeout: 10) { result in
            (Harness.sample(result.bodyString, #"slaprobe_probes_total{probe="third",result="success"}"#) ?? 0) > 0
        }.bodyString
        #expect(!after.contains(#"probe="second""#))
        #expect((Harness.sample(after, #"slaprobe_probes_total{probe="first",result="success"}"#) ?? 0) >= runsBefore)
        #expect(slaprobe.process.isRunning)

        // SIGTERM shuts down gracefully with status 0.
        slaprobe.signal(SIGTERM)
        #expect(await slaprobe.waitForExit(timeout: 10) == 0)
        #expect(slaprobe.text.contains("slaprobe stopped"))
    }

    @Test func secretsNeverAppearInLogsMetricsPagesOrErrors() async throws {
        let (target, targetPort) = try await FaultTests.startTarget()
        defer { target.stop() }
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyFile = directory.appendingPathComponent("api-key")
        try (Self.key + "\n").write(to: keyFile, atomically: true, encoding: .utf8)
        let file = directory.appendingPathComponent("slaprobe.yml")
        // The target expects another key and secret, so every billing probe fails and logs and messages have
        // something to say; the secrets still must not appear.
        try """
        target:
          url: http://127.0.0.1:\(targetPort)
          api_key_file: api-key
          webhook_secret_env: TEST_WEBHOOK_SECRET
        probes:
          - name: entitlement
          - name: checkout
          - name: webhook
        """.write(to: file, atomically: true, encoding: .utf8)
        let (slaprobe, port) = try await Harness.startSlaprobe(
            configFile: file,
            arguments: ["--log.level", "debug"],
            environment: ["TEST_WEBHOOK_SECRET": Self.secret]
        )
        defer { slaprobe.stop() }
        let base = "http://127.0.0.1:\(port)"
        _ = try await Harness.poll(base + "/readyz", timeout: 15) { $0.status == 200 }
        try write(invalid: file)
        var outputs: [String] = []
        for path in ["/metrics", "/api/v1/probes", "/", "/readyz", "/healthz"] {
            outputs.append(await Harness.fetch(base + path).bodyString)
        }
        outputs.append(
            await Harness.fetch(base + "/metrics", headers: [("Accept", "application/openmetrics-text")]).bodyString
        )
        outputs.append(await Harness.fetch(base + "/-/reload", method: "POST").bodyString)
        let (_, once) = try Harness.run(
            Harness.slaprobe,
            ["once", "--config.file", file.path],
            environment: ["TEST_WEBHOOK_SECRET": Self.secret]
        )
        outputs.append(once)
        let (_, check) = try Harness.run(
            Harness.slaprobe,
            ["check-config", file.path],
            environment: ["TEST_WEBHOOK_SECRET": Self.secret]
        )
        outputs.append(check)
        slaprobe.stop()
        outputs.append(slaprobe.text)
        #expect(outputs[0].contains("slaprobe_probes_total"))
        #expect(outputs.last!.contains("reload failed"))
        for output in outputs {
            #expect(!output.contains(Self.key), "API key leaked: \(output.prefix(300))")
            #expect(!output.contains(Self.secret), "webhook secret leaked: \(output.prefix(300))")
            #expect(!output.contains("SECRET_VALUE"))
        }
    }

    private func write(invalid file: URL) throws {
        let text = try String(contentsOf: file, encoding: .utf8)
        try (text + "  - name: entitlement\n    api_key: \(Self.key)\n").write(
            to: file,
            atomically: true,
            encoding: .utf8
        )
    }

    private func awaitExit(_ process: ManagedProcess) -> Int32? {
        process.waitForExitBlocking(timeout: 10)
    }
}
