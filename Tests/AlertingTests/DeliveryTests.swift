import Alerting
import Config
import Digest
import Foundation
import HTTPClient
import Testing

@Suite("Delivery: retries, dead letters, outbox, signatures", .timeLimit(.minutes(1)))
struct DeliveryTests {
    private let fastPolicy = DeliveryPolicy(
        initialBackoff: 0.05,
        maxBackoff: 0.2,
        jitter: 0.2,
        maxAttempts: 10
    )

    private func notification(_ receiver: String) -> PreparedNotification {
        var dispatcher = NotificationDispatcher()
        let policy = NotificationDispatcher.Policy(
            receiver: ReceiverConfig(name: receiver, url: "http://127.0.0.1:1"),
            grouping: GroupingConfig(groupWait: 0)
        )
        let alert = OutgoingAlert(
            labels: ["alertname": "SlaprobeLatencyHigh", "probe": "entitlement", "severity": "page"],
            annotations: ["summary": "slow"],
            status: .firing,
            startsAt: 1000,
            endsAt: nil,
            generatorURL: ""
        )
        _ = dispatcher.receive([alert], now: 1000, policy: policy)
        return dispatcher.flush(now: 1000, policy: policy)[0]
    }

    private struct Harness {
        let directory: String
        let outbox: Outbox
        let notifier: Notifier
        let loop: TransferLoop

        /// Stops the transfer loop and removes the outbox folder.
        func close() {
            loop.shutdown()
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    private func harness(_ receiver: ReceiverConfig, policy: DeliveryPolicy, directory: String? = nil) throws -> Harness
    {
        let directory = directory ?? Fixtures.temporaryDirectory()
        let outbox = try Outbox(config: OutboxConfig(directory: directory))
        let loop = TransferLoop()
        loop.start()
        let notifier = Notifier(receivers: [receiver], policy: policy, outbox: outbox, transfers: loop)
        return Harness(directory: directory, outbox: outbox, notifier: notifier, loop: loop)
    }

    @Test func retriesOn503UntilDeliveredOnceWithTheSameWebhookID() async throws {
        let server = try TestReceiver(plan: [(503, ""), (503, ""), (200, "")])
        defer { server.stop() }
        let secret = "whsec_" + Data("test-secret-key-0123456789".utf8).base64EncodedString()
        let receiver = ReceiverConfig(name: "hook", url: server.url, signing: .standardWebhooks(Secret(secret)))
        let h = try harness(receiver, policy: fastPolicy)
        defer { h.close() }
        let entry = try h.outbox.enqueue(notification("hook"), now: Date().timeIntervalSince1970)
        let delivery = RunningServices([h.notifier])
        let done = await waitUntil { h.outbox.count(receiver: "hook") == 0 }
        await delivery.stop()
        #expect(done)
        let requests = server.requests
        #expect(requests.count == 3)
        #expect(Set(requests.compactMap { $0.header("webhook-id") }) == [entry.id])
        #expect(
            h.notifier.metrics() == [
                NotificationMetrics(receiver: "hook", sent: 1, failed: 2, queueLength: 0, deadLetters: 0)
            ]
        )
        // Independent verification of every attempt's Standard Webhooks signature.
        let key = Array("test-secret-key-0123456789".utf8)
        for request in requests {
            let id = try #require(request.header("webhook-id"))
            let timestamp = try #require(request.header("webhook-timestamp"))
            let expected = SHA256.hmac(key: key, message: Array("\(id).\(timestamp).\(request.body)".utf8))
            #expect(request.header("webhook-signature") == "v1," + Data(expected).base64EncodedString())
            #expect(abs((Double(timestamp) ?? 0) - request.time) < 5)
            #expect(request.body == entry.body)
        }
    }

    @Test func retryAfterIsHonoured() async throws {
        let server = try TestReceiver(plan: [(429, "1"), (200, "")])
        defer { server.stop() }
        let h = try harness(ReceiverConfig(name: "hook", url: server.url), policy: fastPolicy)
        defer { h.close() }
        try h.outbox.enqueue(notification("hook"), now: Date().timeIntervalSince1970)
        let delivery = RunningServices([h.notifier])
        #expect(await waitUntil { h.outbox.count(receiver: "hook") == 0 })
        await delivery.stop()
        let requests = server.requests
        #expect(requests.count == 2)
        if requests.count == 2 { #expect(requests[1].time - requests[0].time >= 0.95) }
    }

    @Test func clientErrorIsDeadLetteredWithoutRetry() async throws {
        let server = try TestReceiver(plan: [(400, ""), (200, "")])
        defer { server.stop() }
        let h = try harness(ReceiverConfig(name: "hook", url: server.url), policy: fastPolicy)
        defer { h.close() }
        try h.outbox.enqueue(notification("hook"), now: Date().timeIntervalSince1970)
        let delivery = RunningServices([h.notifier])
        #expect(await waitUntil { h.outbox.deadLetterCounts["hook"] == 1 })
        try await Task.sleep(for: .milliseconds(300))
        await delivery.stop()
        #expect(server.requests.count == 1)
        #expect(
            h.notifier.metrics() == [
                NotificationMetrics(receiver: "hook", sent: 0, failed: 1, queueLength: 0, deadLetters: 1)
            ]
        )
        let dead = try FileManager.default.contentsOfDirectory(atPath: h.directory + "/dead")
        #expect(dead.count == 1)
        // The dead letter raises the internal alert.
        var evaluator = AlertEvaluator(rules: [])
        let alerts = evaluator.evaluate(
            [],
            now: Date().timeIntervalSince1970,
            deadLetters: h.outbox.lastDeadLetterTimes
        )
        #expect(alerts.map { $0.labels["alertname"] } == ["SlaprobeNotificationsDeadLettered"])
    }

    @Test func exhaustedRetryBudgetDeadLetters() async throws {
        let server = try TestReceiver(plan: [(503, ""), (502, ""), (200, "")])
        defer { server.stop() }
        var policy = fastPolicy
        policy.maxAttempts = 2
        let h = try harness(ReceiverConfig(name: "hook", url: server.url), policy: policy)
        defer { h.close() }
        try h.outbox.enqueue(notification("hook"), now: Date().timeIntervalSince1970)
        let delivery = RunningServices([h.notifier])
        #expect(await waitUntil { h.outbox.deadLetterCounts["hook"] == 1 })
        await delivery.stop()
        #expect(server.requests.count == 2)
    }

    @Test func pendingNotificationSurvivesARestart() async throws {
        let server = try TestReceiver(plan: [])
        defer { server.stop() }
        let directory = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Written by a process that then died before delivering.
        let written = try Outbox(config: OutboxConfig(directory: directory))
            .enqueue(notification("hook"), now: Date().timeIntervalSince1970)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/pending").count == 1)
        let h = try harness(ReceiverConfig(name: "hook", url: server.url), policy: fastPolicy, directory: directory)
        defer { h.loop.shutdown() }
        #expect(h.outbox.count(receiver: "hook") == 1)
        let delivery = RunningServices([h.notifier])
        #expect(await waitUntil { server.requests.count == 1 && h.outbox.count(receiver: "hook") == 0 })
        await delivery.stop()
        #expect(server.requests.first?.header("webhook-id") == written.id)
        #expect(server.requests.first?.body == written.body)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/pending").isEmpty)
    }

    @Test func stripeSignatureVerifiesIndependently() async throws {
        let server = try TestReceiver(plan: [])
        defer { server.stop() }
        let h = try harness(
            ReceiverConfig(name: "hook", url: server.url, signing: .stripe(Secret("sk_test_abc"))),
            policy: fastPolicy
        )
        defer { h.close() }
        try h.outbox.enqueue(notification("hook"), now: Date().timeIntervalSince1970)
        let delivery = RunningServices([h.notifier])
        #expect(await waitUntil { server.requests.count == 1 })
        await delivery.stop()
        let request = try #require(server.requests.first)
        let header = try #require(request.header("Stripe-Signature"))
        let parts = Dictionary(
            uniqueKeysWithValues: header.split(separator: ",").map { part in
                let pair = part.split(separator: "=", maxSplits: 1)
                return (String(pair[0]), String(pair[1]))
            }
        )
        let timestamp = try #require(parts["t"])
        let mac = SHA256.hmac(key: Array("sk_test_abc".utf8), message: Array("\(timestamp).\(request.body)".utf8))
        #expect(parts["v1"] == mac.map { String(format: "%02x", $0) }.joined())
    }

    @Test func outboxIsBoundedAndDropsTheOldestIntoDeadLetters() throws {
        let directory = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outbox = try Outbox(config: OutboxConfig(directory: directory, maxEntriesPerReceiver: 2))
        let first = try outbox.enqueue(notification("hook"), now: 1)
        try outbox.enqueue(notification("hook"), now: 2)
        try outbox.enqueue(notification("hook"), now: 3)
        #expect(outbox.count(receiver: "hook") == 2)
        #expect(!outbox.pending(receiver: "hook").contains { $0.id == first.id })
        #expect(outbox.deadLetterCounts == ["hook": 1])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/dead").count == 1)
    }

    @Test func receiverDescriptionsHideCredentials() {
        let receiver = ReceiverConfig(
            name: "hook",
            url: "https://user:hunter2@hooks.example/path?token=abc",
            signing: .stripe(Secret("sk_live_secret"))
        )
        #expect(receiver.description == "webhook receiver hook (https://hooks.example)")
        #expect(!"\(receiver.signing)".contains("sk_live_secret"))
    }

    @Test(arguments: [
        ("120", 120.0), ("0", 0.0), ("7\r\n", 7.0), ("Thu, 01 Jan 1970 00:01:40 GMT", 90.0), ("soon", -1.0),
        ("Thursday, 01-Jan-70 00:01:40 GMT", 90.0), ("Thu Jan  1 00:01:40 1970", 90.0), ("  -5 ", 0.0),
        ("Thu, 01 Jan 1970 00:00:05 GMT", 0.0), ("Thu, 01 Jan 1970 00:01:40 UTC", -1.0),
        ("Thu, 31 Feb 1970 00:01:40 GMT", -1.0), ("Thu, 01 Jan 1970 24:01:40 GMT", -1.0), ("", -1.0),
    ])
    func backoffAndRetryAfterValues(header: String, expected: Double) {
        let policy = DeliveryPolicy(initialBackoff: 1, maxBackoff: 60, jitter: 0)
        #expect(policy.backoff(afterAttempt: 1, random: 0.5) == 1)
        #expect(policy.backoff(afterAttempt: 4, random: 0.5) == 8)
        #expect(policy.backoff(afterAttempt: 30, random: 0.5) == 60)
        #expect(DeliveryPolicy(jitter: 0.5).backoff(afterAttempt: 1, random: 1) == 0.5)
        #expect(RetryAfter.delay(header, now: 10) == (expected < 0 ? nil : expected))
    }

    @Test("HTTP dates in all three forms agree with Foundation's reading of them")
    func httpDatesAgreeWithFoundation() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        let now = 1_796_000_000.0
        var random = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let instant = Double(Int.random(in: 0...2_500_000_000, using: &random))
            let date = Date(timeIntervalSince1970: instant)
            for format in ["EEE, dd MMM yyyy HH:mm:ss 'GMT'", "EEE MMM d HH:mm:ss yyyy"] {
                formatter.dateFormat = format
                let text = formatter.string(from: date).replacingOccurrences(
                    of: #"^(\w+ \w+) (\d) "#,
                    with: "$1  $2 ",
                    options: .regularExpression
                )
                #expect(RetryAfter.delay(text, now: 0) == instant, "\(text)")
            }
            formatter.dateFormat = "EEEE, dd-MMM-yy HH:mm:ss 'GMT'"
            let text = formatter.string(from: date)
            let expected = RetryAfter.delay(text, now: now)
            let year = Calendar(identifier: .gregorian).component(.year, from: date)
            if year > 1976 && year < 2076 {
                #expect(expected.map { $0 + now } == max(instant, now), "\(text)")
            }
        }
    }
}
