import Config
import Foundation
import HTTPClient
import HTTPServer
import Locking
import Testing

@testable import Probing

/// A billing target in miniature: checkout hands out sessions, a signed webhook grants after `grantDelay`,
/// entitlements answer whether the grant arrived; every request is recorded.
final class JourneyTarget: Sendable {
    struct Seen: Sendable {
        var method: String
        var path: String
        var query: [String: String]
        var headers: [String: String]
        var body: String

        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    let seen = Locked<[Seen]>([])
    let grantedAt = Locked<Date?>(nil)
    let secret: String
    let grantDelay: Double
    let grants: Bool
    let server: HTTPServer

    init(secret: String = "whsec_test", grantDelay: Double = 0.15, grants: Bool = true) throws {
        self.secret = secret
        self.grantDelay = grantDelay
        self.grants = grants
        let seen = seen
        let grantedAt = grantedAt
        server = try HTTPServer(options: ServerOptions(host: "127.0.0.1", port: 0, threading: .threadPerConnection)) {
            request in
            seen.withLock {
                $0.append(
                    Seen(
                        method: request.method,
                        path: request.path,
                        query: request.query,
                        headers: request.headers,
                        body: request.bodyString
                    )
                )
            }
            switch request.path {
            case "/checkout":
                guard request.header("Idempotency-Key") != nil else { return .json("{}", status: 400) }
                return ServerResponse(
                    status: 200,
                    headers: [("Content-Type", "application/json"), ("X-Token", "tok-7")],
                    body: .bytes(Array(#"{"session":{"id":"cs_42"}}"#.utf8))
                )
            case "/hook/cs_42":
                guard Self.verify(request, secret: secret) else { return .json("{}", status: 400) }
                if grants { grantedAt.withLock { $0 = Date().addingTimeInterval(grantDelay) } }
                return .json(#"{"received":true}"#)
            case "/entitled":
                let granted = grantedAt.withLock { $0.map { $0 <= Date() } } ?? false
                return .json(#"{"entitled":\#(granted)}"#)
            case "/slow":
                usleep(1_000_000)
                return .json("{}")
            case "/fail":
                return .json("{}", status: 503)
            default:
                return .json("{}")
            }
        }
    }

    var base: String { "http://127.0.0.1:\(server.port)" }

    /// Whether the request carries a valid `Stripe-Signature` over its body.
    static func verify(_ request: ServerRequest, secret: String) -> Bool {
        guard let header = request.header("Stripe-Signature") else { return false }
        let parts = Dictionary(
            header.split(separator: ",").compactMap { part -> (String, String)? in
                let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
                return pair.count == 2 ? (pair[0], pair[1]) : nil
            },
            uniquingKeysWith: { first, _ in first }
        )
        guard let t = parts["t"], let timestamp = Int(t), let v1 = parts["v1"] else { return false }
        return StripeSignature.hex(body: request.body, secret: secret, timestamp: timestamp) == v1
    }

    func stop() { server.stop() }
}

@Suite(.serialized) struct JourneyExecutionTests {
    static func probe(_ steps: [JourneyStep], base: String, timeout: Duration = .seconds(5)) -> ProbeConfig {
        ProbeConfig(
            name: "j",
            kind: .journey,
            url: base,
            timeout: timeout,
            apiKey: Secret("key-1"),
            webhookSecret: Secret("whsec_test"),
            journey: JourneyConfig(steps: steps)
        )
    }

    static func checkout(_ base: String) -> JourneyStep {
        JourneyStep(
            name: "checkout",
            method: "POST",
            url: base + "/checkout",
            headers: [HeaderField(name: "Idempotency-Key", value: "{{uuid}}")],
            body: #"{"user":"{{journey_user}}"}"#,
            extract: [
                .init(name: "session", source: .jsonPath("session.id")),
                .init(name: "token", source: .header("x-token")),
            ]
        )
    }

    static func webhook(_ base: String) -> JourneyStep {
        JourneyStep(
            name: "webhook",
            url: base + "/hook/{{vars.session}}",
            headers: [HeaderField(name: "X-Tok", value: "{{vars.token}}")],
            body: #"{"data":{"object":{"id":"{{vars.session}}","user":"{{journey_user}}"}}}"#,
            sign: .stripe
        )
    }

    static func entitled(_ base: String, every interval: Duration = .milliseconds(20), deadline: Duration = .seconds(2))
        -> JourneyStep
    {
        JourneyStep(
            name: "entitled",
            url: base + "/entitled?user={{journey_user}}",
            expectStatus: [.exact(200)],
            assertions: [.jsonEquals(path: "entitled", value: .bool(true))],
            poll: .init(interval: interval, deadline: deadline)
        )
    }

    static func run(_ probe: ProbeConfig) async -> ProbeResult {
        let loop = TransferLoop(name: "journey-test")
        loop.start()
        defer { loop.shutdown() }
        return await withCheckedContinuation { continuation in
            ProbeExecution.run(probe, on: loop, userAgent: "t") { continuation.resume(returning: $0) }
        }
    }

    @Test func stepsRunInOrderWithValuesCarriedForwardAndOneTraceID() async throws {
        let target = try JourneyTarget()
        defer { target.stop() }
        let base = target.base
        let probe = Self.probe([Self.checkout(base), Self.webhook(base), Self.entitled(base)], base: base)
        let result = await Self.run(probe)
        #expect(result.success, "\(result.message ?? "")")
        #expect(result.steps.map(\.name) == ["checkout", "webhook", "entitled"])
        #expect(result.steps.allSatisfy { $0.success })
        let seen = target.seen.withLock { $0 }
        #expect(seen.map(\.path).prefix(2) == ["/checkout", "/hook/cs_42"])
        #expect(seen.dropFirst(2).allSatisfy { $0.path == "/entitled" })
        // Values extracted from a JSON path and a header reach the URL, headers and body of the next step.
        #expect(seen[1].header("X-Tok") == "tok-7")
        #expect(seen[1].body.contains(#""id":"cs_42""#))
        // One fresh synthetic user for the whole run.
        let user = try #require(seen[2].query["user"])
        #expect(user.hasPrefix("slaprobe-journey-"))
        #expect(seen[0].body.contains(user) && seen[1].body.contains(user))
        // The API key goes to unsigned steps only; the signed step carries a signature the target verified.
        #expect(seen[0].header("Authorization") == "Bearer key-1")
        #expect(seen[1].header("Authorization") == nil)
        #expect(seen[1].header("Stripe-Signature") != nil)
        // One trace id in every traceparent, a distinct request id per request.
        let traceID = try #require(result.traceID)
        #expect(traceID.count == 32)
        #expect(seen.allSatisfy { $0.header("traceparent")?.split(separator: "-")[1] == Substring(traceID) })
        let requestIDs = seen.compactMap { $0.header("X-Request-ID") }
        #expect(Set(requestIDs).count == seen.count)
        #expect(result.requestID == result.steps[0].requestID && result.requestID == requestIDs[0])
        #expect(result.steps.map(\.requestID) == [requestIDs[0], requestIDs[1], requestIDs.last!])
        // The polled step asked several times; its latency runs from its start to the first response with the
        // grant, about the grant delay.
        let polled = result.steps[2]
        #expect(polled.attempts > 1 && polled.attempts == seen.count - 2)
        #expect(polled.latency >= 0.12 && polled.latency < 1, "entitled after \(polled.latency)s")
        #expect(result.latency >= result.steps.map(\.latency).reduce(0, +) * 0.9)
    }

    @Test func aPollWhoseDeadlinePassesFailsThatStepWithTimeoutAndStopsTheRun() async throws {
        let target = try JourneyTarget(grants: false)
        defer { target.stop() }
        let base = target.base
        let after = JourneyStep(name: "after", url: base + "/after")
        let probe = Self.probe(
            [Self.checkout(base), Self.webhook(base), Self.entitled(base, deadline: .milliseconds(300)), after],
            base: base
        )
        let result = await Self.run(probe)
        #expect(result.failure == .timeout)
        #expect(result.steps.map(\.name) == ["checkout", "webhook", "entitled"])
        let failed = result.steps[2]
        #expect(failed.failure == .timeout)
        #expect(failed.message?.contains("poll deadline 300ms passed") == true, "\(failed.message ?? "")")
        #expect(failed.latency >= 0.3 && failed.latency < 1, "\(failed.latency)")
        #expect(result.message?.hasPrefix("step entitled:") == true)
        #expect(!target.seen.withLock { $0.map(\.path) }.contains("/after"))
    }

    @Test func theFirstFailingStepStopsTheRunWithItsReason() async throws {
        let target = try JourneyTarget()
        defer { target.stop() }
        let base = target.base
        let probe = Self.probe(
            [JourneyStep(name: "first", url: base + "/fail"), JourneyStep(name: "second", url: base + "/second")],
            base: base
        )
        let result = await Self.run(probe)
        #expect(result.failure == .httpStatus)
        #expect(result.status == 503)
        #expect(result.steps.map(\.name) == ["first"])
        #expect(result.steps[0].failure == .httpStatus)
        #expect(target.seen.withLock { $0.map(\.path) } == ["/fail"])
    }

    @Test func aWebhookSignedWithTheWrongSecretFailsAtThatStep() async throws {
        let target = try JourneyTarget(secret: "whsec_other")
        defer { target.stop() }
        let base = target.base
        let probe = Self.probe([Self.checkout(base), Self.webhook(base), Self.entitled(base)], base: base)
        let result = await Self.run(probe)
        #expect(result.failure == .httpStatus)
        #expect(result.steps.map(\.name) == ["checkout", "webhook"])
        #expect(result.steps.last?.status == 400)
    }

    @Test func aMissingExtractionFailsTheStep() async throws {
        let target = try JourneyTarget()
        defer { target.stop() }
        let base = target.base
        let step = JourneyStep(
            name: "first",
            url: base + "/other",
            extract: [.init(name: "x", source: .jsonPath("a.b"))]
        )
        let result = await Self.run(Self.probe([step], base: base))
        #expect(result.failure == .assertion)
        #expect(result.message == "step first: extract x: json_path a.b is missing")
    }

    @Test func aRunThatReachesItsTimeoutStopsThereAndCountsAtTheTimeout() async throws {
        let target = try JourneyTarget()
        defer { target.stop() }
        let base = target.base
        let probe = Self.probe(
            [JourneyStep(name: "quick", url: base + "/quick"), JourneyStep(name: "slow", url: base + "/slow")],
            base: base,
            timeout: .milliseconds(400)
        )
        let started = MonotonicTime.seconds()
        let result = await Self.run(probe)
        let elapsed = MonotonicTime.seconds() - started
        #expect(result.failure == .timeout)
        #expect(result.steps.map(\.name) == ["quick", "slow"])
        #expect(result.steps[1].failure == .timeout)
        // Counted at the run's timeout, and over at about that time, not after the slow response.
        #expect(result.latency >= 0.4 && result.latency < 0.8, "\(result.latency)")
        #expect(elapsed < 0.9, "\(elapsed)")
    }

    @Test func theSchedulerRunsAJourneyAndNeverOverlapsIt() async throws {
        let target = try JourneyTarget()
        defer { target.stop() }
        let loop = TransferLoop(name: "journey-scheduler-test")
        loop.start()
        defer { loop.shutdown() }
        let collected = Collected()
        let scheduler = ProbeScheduler(loop: loop, userAgent: "t", observer: collected.observer)
        var probe = Self.probe([JourneyStep(name: "slow", url: target.base + "/slow")], base: target.base)
        probe.interval = .milliseconds(200)
        probe.jitter = 0
        scheduler.update([probe])
        try await Task.sleep(for: .milliseconds(1500))
        scheduler.stop()
        let results = collected.results.withLock { $0 }
        #expect(results.count >= 1 && results.count <= 2, "\(results.count)")
        #expect(results.allSatisfy { $0.success && $0.steps.count == 1 })
        #expect(collected.skipped.withLock { $0 } >= 3)
    }
}
