import Foundation
import SlaprobeTesting
import Testing

/// Secrets carried in URLs (a webhook token in the path, a password in the user info) stay out of the log, the
/// JSON APIs, the status page and error messages of a real process.
@Suite(.serialized) struct SecretURLTests {
    static let slackToken = "SLACK_TOKEN_9931_do_not_print"
    static let flagToken = "FLAG_TOKEN_4417_do_not_print"
    static let probePassword = "PROBE_PASSWORD_5150_do_not_print"
    static let targetPassword = "TARGET_PASSWORD_8080_do_not_print"

    private func expectNoSecrets(_ outputs: [String: String]) {
        for (source, output) in outputs {
            for secret in [Self.slackToken, Self.flagToken, Self.probePassword, Self.targetPassword] {
                #expect(!output.contains(secret), "\(source) shows \(secret): \(output.prefix(2000))")
            }
            #expect(!output.contains("do_not_print"), "\(source): \(output.prefix(2000))")
        }
    }

    @Test func receiverTokensAndProbePasswordsAreHiddenEverywhere() async throws {
        let (target, targetPort) = try await FaultTests.startTarget()
        defer { target.stop() }
        let deadPort = try Harness.freePort()
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "http://127.0.0.1:\(deadPort)/services/T000/B000/\(Self.slackToken)\n".write(
            to: directory.appendingPathComponent("slack-url"),
            atomically: true,
            encoding: .utf8
        )
        let file = directory.appendingPathComponent("slaprobe.yml")
        try """
        global:
          interval: 200ms
          timeout: 150ms
        probes:
          - name: status
            kind: http
            url: http://probeuser:\(Self.probePassword)@127.0.0.1:\(targetPort)/healthz
        alerting:
          receivers:
            - name: slack
              kind: webhook
              url_file: slack-url
        """.write(to: file, atomically: true, encoding: .utf8)
        let slaprobe = try ManagedProcess(
            Harness.slaprobe,
            [
                "--config.file", file.path, "--web.listen-address", "127.0.0.1:0", "--log.level", "debug",
                "--alert.webhook-url", "http://127.0.0.1:\(deadPort)/hook/\(Self.flagToken)",
                "--alert.storage-path", directory.appendingPathComponent("data").path,
            ]
        )
        defer { slaprobe.stop() }
        let port = try await slaprobe.listeningPort(message: "slaprobe listening")
        let base = "http://127.0.0.1:\(port)"
        _ = try await Harness.poll(base + "/readyz", timeout: 15) { $0.status == 200 }
        var outputs: [String: String] = [:]
        for path in ["/api/v1/probes", "/api/v1/alerts", "/", "/metrics"] {
            outputs[path] = await Harness.fetch(base + path).bodyString
        }
        slaprobe.stop()
        outputs["log"] = slaprobe.text

        let log = slaprobe.text
        #expect(log.contains("webhook receiver slack (http://127.0.0.1:\(deadPort))"), "\(log)")
        #expect(log.contains("webhook receiver webhook-1 (http://127.0.0.1:\(deadPort))"), "\(log)")
        let probes = try #require(
            try JSONSerialization.jsonObject(with: Data(outputs["/api/v1/probes"]!.utf8)) as? [String: Any]
        )
        let listed = try #require((probes["probes"] as? [[String: Any]])?.first)
        #expect(listed["url"] as? String == "http://<redacted>@127.0.0.1:\(targetPort)/healthz")
        #expect(outputs["/"]!.contains("<td>status</td>"))
        expectNoSecrets(outputs)
    }

    @Test func aPasswordInTheTargetURLFlagIsHiddenInTheLogAndAPIs() async throws {
        let (target, targetPort) = try await FaultTests.startTarget()
        defer { target.stop() }
        let slaprobe = try ManagedProcess(
            Harness.slaprobe,
            [
                "--target.url", "http://billing:\(Self.targetPassword)@127.0.0.1:\(targetPort)",
                "--web.listen-address", "127.0.0.1:0", "--probe.interval", "200ms",
            ],
            environment: ["SLAPROBE_API_KEY": FaultTests.key, "SLAPROBE_WEBHOOK_SECRET": FaultTests.secret]
        )
        defer { slaprobe.stop() }
        let port = try await slaprobe.listeningPort(message: "slaprobe listening")
        let base = "http://127.0.0.1:\(port)"
        _ = try await Harness.poll(base + "/readyz", timeout: 15) { $0.status == 200 }
        var outputs: [String: String] = [:]
        for path in ["/api/v1/probes", "/api/v1/alerts", "/"] {
            outputs[path] = await Harness.fetch(base + path).bodyString
        }
        slaprobe.stop()
        outputs["log"] = slaprobe.text
        #expect(
            slaprobe.text.contains(#"config="flags (target http://<redacted>@127.0.0.1:\#(targetPort))""#),
            "\(slaprobe.text)"
        )
        #expect(outputs["/api/v1/probes"]!.contains("http://<redacted>@127.0.0.1:\(targetPort)/api/v1/"))
        expectNoSecrets(outputs)
    }

    @Test func errorsAboutURLsDoNotEchoTheirSecrets() throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "ftp://127.0.0.1/services/\(Self.slackToken)\n".write(
            to: directory.appendingPathComponent("slack-url"),
            atomically: true,
            encoding: .utf8
        )
        let file = directory.appendingPathComponent("slaprobe.yml")
        try """
        probes:
          - name: status
            kind: http
            url: ftp://probeuser:\(Self.probePassword)@127.0.0.1/healthz
        alerting:
          receivers:
            - name: slack
              url_file: slack-url
        """.write(to: file, atomically: true, encoding: .utf8)
        let (checkStatus, check) = try Harness.run(Harness.slaprobe, ["check-config", file.path])
        #expect(checkStatus == 1)
        #expect(check.contains("probes[0].url"), "\(check)")
        let (onceStatus, once) = try Harness.run(
            Harness.slaprobe,
            ["once", "--target.url", "ftp://billing:\(Self.targetPassword)@127.0.0.1"],
            environment: ["SLAPROBE_API_KEY": "k", "SLAPROBE_WEBHOOK_SECRET": "s"]
        )
        #expect(onceStatus == 1)
        #expect(once.contains("target.url"), "\(once)")
        expectNoSecrets(["check-config": check, "once": once])
    }
}
