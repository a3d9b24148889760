import Foundation
import SlaprobeTesting
import Testing

/// Silences end to end: the real `amtool` (Debian's, unchanged) drives slaprobe's `/api/v2/silences`, a
/// silenced breach pages nobody until the silence is expired, silences survive `kill -9`, and basic auth guards
/// the writes.
@Suite(.serialized) struct SilenceTests {
    static func amtool(_ port: Int, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await Harness.runOffPool("amtool", ["--alertmanager.url=http://127.0.0.1:\(port)"] + arguments)
    }

    /// Adds a silence of the entitlement latency alert with amtool and returns its id.
    static func addSilence(_ port: Int) async throws -> String {
        let (status, output) = try await amtool(
            port,
            [
                "silence", "add", "alertname=SlaprobeLatencyHigh", "probe=entitlement", "--comment=deploy",
                "--author=ops", "--duration=1h",
            ]
        )
        #expect(status == 0, "\(output)")
        let id = output.split(separator: "\n").last.map(String.init) ?? ""
        #expect(id.wholeMatch(of: /[0-9a-f-]{36}/) != nil, "amtool printed \(output)")
        return id
    }

    /// The silences `amtool silence query -o json` lists (active and pending ones, or expired with `--expired`).
    static func query(_ port: Int, expired: Bool = false) async throws -> [[String: Any]] {
        let (status, output) = try await amtool(
            port,
            ["silence", "query", "-o", "json"] + (expired ? ["--expired"] : [])
        )
        #expect(status == 0, "\(output)")
        #expect(!output.contains("Warning"), "\(output)")
        return (try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]]) ?? []
    }

    static func entitlementLatencyAlert(_ base: String) async -> [String: Any]? {
        let body = await Harness.fetch(base + "/api/v1/alerts").body
        let json = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        let alerts = (json?["data"] as? [String: Any])?["alerts"] as? [[String: Any]] ?? []
        return alerts.first {
            $0["alertname"] as? String == "SlaprobeLatencyHigh" && $0["probe"] as? String == "entitlement"
        }
    }

    @Test func aSilencedBreachPagesNobodyIsListedSuppressedAndPagesOnceTheSilenceIsExpired() async throws {
        let receiver = try WebhookReceiver()
        let running = try await AlertDeliveryTests.start(receivers: { _ in
            AlertDeliveryTests.webhookReceiver(receiver.url)
        })
        defer {
            running.stop()
            receiver.stop()
        }
        let base = "http://127.0.0.1:\(running.port)"
        let id = try await Self.addSilence(running.port)
        try await FaultTests.setFaults(running.targetPort, "endpoint=entitlement&latency=150ms")

        // (a) The breach fires underneath, listed as suppressed by the silence.
        let deadline = Date().addingTimeInterval(30)
        var alert = await Self.entitlementLatencyAlert(base)
        while alert?["state"] as? String != "suppressed" || alert?["heldState"] as? String != "firing",
            Date() < deadline
        {
            try await Task.sleep(for: .milliseconds(200))
            alert = await Self.entitlementLatencyAlert(base)
        }
        #expect(alert?["state"] as? String == "suppressed", "\(String(describing: alert))")
        #expect(alert?["heldState"] as? String == "firing")
        #expect(alert?["silencedBy"] as? [String] == [id])
        let metrics = await Harness.fetch(base + "/metrics").bodyString
        #expect(Harness.sample(metrics, #"slaprobe_silences{state="active"}"#) == 1)
        #expect(Harness.sample(metrics, #"slaprobe_silences{state="expired"}"#) == 0)
        #expect(Harness.sample(metrics, #"slaprobe_notifications_suppressed_total{receiver="oncall"}"#) ?? 0 >= 1)
        // The status page lists the silence as active and the alert as suppressed, naming the silence.
        let statusPage = await Harness.fetch(base + "/").bodyString
        #expect(statusPage.contains(#"<tr class="active"><td><code>\#(id)</code>"#), "\(statusPage)")
        #expect(statusPage.contains(#"<tr class="suppressed"><td>SlaprobeLatencyHigh</td><td>entitlement</td>"#))
        #expect(statusPage.contains("held by silence \(id)"))
        // Past group_wait (1s) and two evaluations (1s each), nothing was sent for it.
        try await Task.sleep(for: .seconds(3))
        #expect(
            !receiver.deliveries.contains { $0.reports("SlaprobeLatencyHigh", probe: "entitlement", status: "firing") }
        )
        let listed = try await Self.query(running.port)
        #expect(listed.compactMap { $0["id"] as? String } == [id])
        #expect((listed.first?["status"] as? [String: Any])?["state"] as? String == "active")
        // amtool sends its matchers as repeated `filter` parameters.
        for (filters, expected) in [
            (["probe=entitlement"], [id]), (["alertname=SlaprobeLatencyHigh", "probe=checkout"], []),
        ] {
            let (status, output) = try await Self.amtool(running.port, ["silence", "query", "-q"] + filters)
            #expect(status == 0, "\(output)")
            #expect(output.split(separator: "\n").map(String.init) == expected, "\(filters): \(output)")
        }

        // (e) amtool silence update changes the comment and keeps the id.
        let (updateStatus, updateOutput) = try await Self.amtool(
            running.port,
            ["silence", "update", id, "--comment=deploy, longer than planned"]
        )
        #expect(updateStatus == 0, "\(updateOutput)")
        let updated = try await Self.query(running.port)
        #expect(updated.compactMap { $0["id"] as? String } == [id])
        #expect(updated.first?["comment"] as? String == "deploy, longer than planned")

        // (b) Expired while the alert still fires: the page goes out now.
        let (expireStatus, expireOutput) = try await Self.amtool(running.port, ["silence", "expire", id])
        #expect(expireStatus == 0, "\(expireOutput)")
        let page = try await receiver.waitFor(timeout: 15) {
            $0.reports("SlaprobeLatencyHigh", probe: "entitlement", status: "firing")
        }
        try AlertDeliveryTests.expectAlertmanagerPayload(
            try #require(page.json),
            status: "firing",
            alertname: "SlaprobeLatencyHigh",
            probe: "entitlement"
        )
        #expect(try await Self.query(running.port).isEmpty)
        #expect(try await Self.query(running.port, expired: true).compactMap { $0["id"] as? String } == [id])
        let after = await Harness.fetch(base + "/metrics").bodyString
        #expect(Harness.sample(after, #"slaprobe_silences{state="expired"}"#) == 1)
        #expect(await Self.entitlementLatencyAlert(base)?["state"] as? String == "firing")
    }

    @Test func aSilenceSurvivesKill9() async throws {
        let running = try await AlertDeliveryTests.start(receivers: { _ in "" })
        defer { running.stop() }
        let id = try await Self.addSilence(running.port)
        running.slaprobe.signal(SIGKILL)
        _ = await running.slaprobe.waitForExit(timeout: 5)
        let (restarted, port) = try await AlertDeliveryTests.startSlaprobe(configFile: running.configFile)
        defer { restarted.stop() }
        let listed = try await Self.query(port)
        #expect(listed.compactMap { $0["id"] as? String } == [id])
        #expect(listed.first?["comment"] as? String == "deploy")
        #expect(listed.first?["createdBy"] as? String == "ops")
    }

    @Test func aSilenceWriteWithoutCredentialsIsRefusedAndCreatesNothing() async throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let web = directory.appendingPathComponent("web.yml")
        try "basic_auth_users:\n  ops: \(try WebConfigTests.bcrypt("correct horse"))\n"
            .write(to: web, atomically: true, encoding: .utf8)
        let running = try await AlertDeliveryTests.start(
            receivers: { _ in "" },
            extra: ["--web.config.file", web.path]
        )
        defer { running.stop() }
        let url = "http://127.0.0.1:\(running.port)/api/v2/silences"
        let body = #"""
            {"matchers":[{"name":"probe","value":"entitlement","isRegex":false}],"startsAt":"2026-01-01T00:00:00Z",
             "endsAt":"2099-01-01T00:00:00Z","createdBy":"intruder","comment":"hush"}
            """#
        let refused = await Harness.fetch(
            url,
            method: "POST",
            headers: [("Content-Type", "application/json")],
            body: body
        )
        #expect(refused.status == 401)
        let (noAuthStatus, noAuthOutput) = try await Self.amtool(running.port, ["silence", "query"])
        #expect(noAuthStatus != 0, "amtool without credentials: \(noAuthOutput)")
        let authorization = ("Authorization", "Basic " + Data("ops:correct horse".utf8).base64EncodedString())
        let listed = await Harness.fetch(url, headers: [authorization])
        #expect(listed.status == 200)
        #expect(listed.bodyString == "[]")
        let created = await Harness.fetch(
            url,
            method: "POST",
            headers: [authorization, ("Content-Type", "application/json")],
            body: body
        )
        #expect(created.status == 200, "\(created.bodyString)")
        #expect(created.bodyString.hasPrefix(#"{"silenceID":""#))
    }

    @Test func invalidSilencesAreAnswered400WithTheProblem() async throws {
        let running = try await AlertDeliveryTests.start(receivers: { _ in "" })
        defer { running.stop() }
        let url = "http://127.0.0.1:\(running.port)/api/v2/silences"
        for (body, phrase) in [
            ("{not json", "not a silence in JSON"),
            (
                #"{"matchers":[],"startsAt":"2026-01-01T00:00:00Z","endsAt":"2099-01-01T00:00:00Z"}"#,
                "at least one matcher"
            ),
            (
                #"{"matchers":[{"name":"probe","value":"x","isRegex":false}],"startsAt":"2099-01-02T00:00:00Z","#
                    + #""endsAt":"2099-01-01T00:00:00Z","createdBy":"a","comment":"b"}"#,
                "must not be before the start"
            ),
        ] {
            let answer = await Harness.fetch(url, method: "POST", body: body)
            #expect(answer.status == 400, "\(body)")
            #expect(answer.bodyString.contains(phrase), "\(answer.bodyString)")
        }
        #expect(await Harness.fetch(url).bodyString == "[]")
        #expect(await Harness.fetch(url.replacingOccurrences(of: "silences", with: "silence/nope")).status == 404)
    }
}
