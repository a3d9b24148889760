import Config
import Foundation
import HTTPClient
import SlaprobeTesting
import Testing

@testable import Probing

/// An HMAC computed by Python's standard library: an implementation independent of ours.
func pythonHMACHex(secret: String, message: [UInt8]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try Harness.executable("python3"))
    process.arguments = [
        "-c",
        "import hmac,hashlib,sys; k=sys.argv[1].encode(); m=sys.stdin.buffer.read(); "
            + "print(hmac.new(k,m,hashlib.sha256).hexdigest())",
        secret,
    ]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(message))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

func probe(_ kind: ProbeKind, url: String = "http://127.0.0.1:1/x", configure: (inout ProbeConfig) -> Void = { _ in })
    -> ProbeConfig
{
    var config = ProbeConfig(
        name: kind.rawValue,
        kind: kind,
        url: url,
        apiKey: Secret("sk_test_key"),
        webhookSecret: Secret("whsec_test_secret")
    )
    configure(&config)
    return config
}

@Suite struct StripeSignatureTests {
    @Test func signatureMatchesAnIndependentHMAC() throws {
        let body = Array(#"{"id":"evt_1","type":"checkout.session.completed"}"#.utf8)
        let header = StripeSignature.header(body: body, secret: "whsec_abc", timestamp: 1_700_000_000)
        let expected = try pythonHMACHex(secret: "whsec_abc", message: Array("1700000000.".utf8) + body)
        #expect(header == "t=1700000000,v1=\(expected)")
        #expect(expected.count == 64)
    }
}

@Suite struct ProbeRequestsTests {
    let builder = { (p: ProbeConfig) in ProbeRequests(probe: p, userAgent: "slaprobe/test") }

    @Test func everyRequestCarriesIdentityHeaders() throws {
        for kind in ProbeKind.allCases {
            let identity = RequestIdentity()
            let request = builder(probe(kind)).main(identity: identity)
            #expect(request.header("X-Request-ID") == identity.requestID)
            #expect(request.header("User-Agent") == "slaprobe/test")
            let traceparent = try #require(request.header("traceparent"))
            #expect(traceparent.wholeMatch(of: /00-[0-9a-f]{32}-[0-9a-f]{16}-01/) != nil)
        }
    }

    @Test func requestIDsAreUnique() {
        let ids = Set((0..<1000).map { _ in RequestIdentity().requestID })
        #expect(ids.count == 1000)
    }

    @Test func entitlementSendsBearerKey() {
        let request = builder(probe(.entitlement)).main(identity: RequestIdentity())
        #expect(request.method == "GET")
        #expect(request.header("Authorization") == "Bearer sk_test_key")
        #expect(request.freshConnection)
    }

    @Test func checkoutSendsTheContractBodyAndAnIdempotencyKey() throws {
        let request = builder(probe(.checkout)).main(identity: RequestIdentity())
        #expect(request.method == "POST")
        let key = try #require(request.header("Idempotency-Key"))
        #expect(!key.isEmpty)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(request.body ?? [])) as? [String: String])
        #expect(Set(object.keys) == ["user_id", "project_id", "price_id", "mode", "success_url", "cancel_url"])
        let other = builder(probe(.checkout)).main(identity: RequestIdentity())
        #expect(other.header("Idempotency-Key") != key)
    }

    @Test func checkoutReplayKeepsTheKeyWithANewRequestID() {
        let b = builder(probe(.checkout))
        let main = b.main(identity: RequestIdentity())
        let replay = b.checkoutReplay(from: main)
        #expect(replay.header("Idempotency-Key") == main.header("Idempotency-Key"))
        #expect(replay.header("X-Request-ID") != main.header("X-Request-ID"))
        #expect(replay.body == main.body)
    }

    @Test func webhookIsSignedAsStripeDoes() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let b = builder(probe(.webhook))
        let request = b.main(identity: RequestIdentity(), now: now)
        let body = try #require(request.body)
        let expected = try pythonHMACHex(secret: "whsec_test_secret", message: Array("1800000000.".utf8) + body)
        #expect(request.header("Stripe-Signature") == "t=1800000000,v1=\(expected)")
        let event = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        #expect(event["type"] as? String == "checkout.session.completed")

        let forged = b.forgedWebhook(from: request, now: now)
        #expect(forged.body == request.body)
        #expect(forged.header("Stripe-Signature")?.hasPrefix("t=1800000000,v1=") == true)
        #expect(forged.header("Stripe-Signature") != request.header("Stripe-Signature"))

        let stale = b.staleWebhook(from: request, now: now)
        let staleExpected = try pythonHMACHex(secret: "whsec_test_secret", message: Array("1799996400.".utf8) + body)
        #expect(stale.header("Stripe-Signature") == "t=1799996400,v1=\(staleExpected)")
    }

    @Test func configuredHeadersAndBodyExpandPlaceholders() {
        let p = probe(.http) { p in
            p.headers = [HeaderField(name: "X-Trace", value: "{{request_id}}")]
            p.body = #"{"at":"{{unix}}","id":"{{uuid}}"}"#
            p.method = "POST"
        }
        let identity = RequestIdentity()
        let request = builder(p).main(identity: identity, now: Date(timeIntervalSince1970: 1234))
        #expect(request.header("X-Trace") == identity.requestID)
        let body = String(decoding: request.body ?? [], as: UTF8.self)
        #expect(body.hasPrefix(#"{"at":"1234","id":""#))
        #expect(!body.contains("{{"))
    }

    @Test func placeholdersLeaveUnknownNamesAndMakeUniqueUUIDs() {
        let p = Placeholders(
            requestID: "rid",
            userID: "u",
            projectID: "p",
            priceID: "pr",
            now: Date(timeIntervalSince1970: 0)
        )
        #expect(p.expand("{{nope}} {{ user_id }} {{now}}") == "{{nope}} u 1970-01-01T00:00:00Z")
        let twice = p.expand("{{uuid}}/{{uuid}}").split(separator: "/")
        #expect(twice.count == 2 && twice[0] != twice[1])
    }
}

@Suite struct BodyAssertionTests {
    static let body = Array(#"{"entitled":true,"plan":"pro","n":3,"items":[{"id":"a"},{"id":"b"}],"gone":null}"#.utf8)

    @Test(arguments: [
        (BodyAssertion.jsonPresent(path: "plan"), true),
        (.jsonPresent(path: "missing"), false),
        (.jsonEquals(path: "entitled", value: .bool(true)), true),
        (.jsonEquals(path: "entitled", value: .bool(false)), false),
        (.jsonEquals(path: "plan", value: .string("pro")), true),
        (.jsonEquals(path: "n", value: .number(3)), true),
        (.jsonEquals(path: "items[1].id", value: .string("b")), true),
        (.jsonEquals(path: "items[2].id", value: .string("b")), false),
        (.jsonEquals(path: "gone", value: .null), true),
        (.regex(#""plan":"pro""#), true),
        (.regex("enterprise"), false),
        (.notRegex("error"), true),
        (.notRegex("entitled"), false),
        (.regex(#"^\{"entitled":(true|false),"#), true),
        (.regex(#""n":\d+,"items":\[\{"#), true),
        (.regex(#"(?i)"PLAN":"PRO""#), true),
        (.regex(#""plan":"pro"$"#), false),
        (.notRegex(#"\bnull\b"#), false),
        (.jsonEquals(path: "n", value: .string("3")), false),
        (.jsonEquals(path: "entitled", value: .number(1)), false),
    ])
    func assertions(assertion: BodyAssertion, holds: Bool) {
        #expect((BodyAssertionCheck.firstFailure(of: [assertion], body: Self.body) == nil) == holds)
    }

    @Test("A regex matches by Unicode scalar, as ICU and PCRE do, not by grapheme cluster")
    func regexMatchesByScalar() {
        // "e" followed by a combining acute accent is one Character but two scalars.
        let body = Array("cafe\u{301}".utf8)
        #expect(BodyAssertionCheck.firstFailure(of: [.regex("cafe")], body: body) == nil)
        #expect(BodyAssertionCheck.firstFailure(of: [.regex("e\u{301}$")], body: body) == nil)
    }

    @Test("A failed json_equals names what was found and what was expected")
    func jsonEqualsFailureNamesBoth() {
        let failure = BodyAssertionCheck.firstFailure(
            of: [.jsonEquals(path: "items[0]", value: .string("a"))],
            body: Self.body
        )
        #expect(failure == #"json_path items[0] is {"id":"a"}, expected "a""#)
    }

    @Test("Variables put into a URL are percent-encoded, except the characters a query may keep")
    func percentEncoding() {
        #expect(JourneyRequests.percentEncoded("cs_test-1.2~x") == "cs_test-1.2~x")
        #expect(JourneyRequests.percentEncoded("a b&c=d+e#f?g") == "a%20b%26c%3Dd%2Be%23f%3Fg")
        #expect(JourneyRequests.percentEncoded("!$'()*,/:;@") == "!$'()*,/:;@")
        #expect(JourneyRequests.percentEncoded("é%") == "%C3%A9%25")
        #expect(JourneyRequests.percentEncoded("\"<>[]") == "%22%3C%3E%5B%5D")
        // The same as Foundation's query set less "&+=#?", for every ASCII character.
        let allowed = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&+=#?"))
        for code in UInt8(0)..<128 {
            let text = String(UnicodeScalar(code))
            #expect(JourneyRequests.percentEncoded(text) == text.addingPercentEncoding(withAllowedCharacters: allowed))
        }
    }

    @Test func nonJSONBodyFailsJSONAssertions() {
        let failure = BodyAssertionCheck.firstFailure(of: [.jsonPresent(path: "a")], body: Array("<html>".utf8))
        #expect(failure?.contains("not JSON") == true)
    }
}

@Suite struct CacheCounterTrackerTests {
    @Test func deltasFollowTheTargetCountersAndSurviveAReset() {
        let tracker = CacheCounterTracker()
        let page = { (h: Int, m: Int) in
            "# TYPE entitlement_cache_hits_total counter\nentitlement_cache_hits_total \(h)\n"
                + "entitlement_cache_misses_total{shard=\"a\"} \(m)\n"
        }
        #expect(tracker.delta(fromExposition: page(10, 5)) == nil)
        let first = tracker.delta(fromExposition: page(17, 6))
        #expect(first?.hits == 7 && first?.misses == 1)
        let afterRestart = tracker.delta(fromExposition: page(2, 1))
        #expect(afterRestart?.hits == 2 && afterRestart?.misses == 1)
        #expect(tracker.delta(fromExposition: "other_metric 1\n") == nil)
    }
}

@Suite struct MainEvaluationTests {
    @Test func timeoutCountsAtLeastTheTimeout() {
        let p = probe(.http) { $0.timeout = .milliseconds(500) }
        var transfer = TransferResult(error: TransferError(kind: .timeout, message: "timed out"))
        transfer.timings.total = 0.4999
        let result = ProbeExecution.evaluateMain(
            p,
            transfer: transfer,
            identity: RequestIdentity(),
            startedAt: Date(),
            monotonicStart: 0
        )
        #expect(result.failure == .timeout)
        #expect(result.latency == 0.5)
    }

    @Test(arguments: [
        (TransferErrorKind.dns, FailureReason.dns), (.connect, .connect), (.tls, .tls), (.bodyTooLarge, .bodyTooLarge),
        (.other, .other),
    ])
    func transferErrorsMapToReasons(kind: TransferErrorKind, reason: FailureReason) {
        let result = ProbeExecution.evaluateMain(
            probe(.http),
            transfer: TransferResult(error: TransferError(kind: kind, message: "x")),
            identity: RequestIdentity(),
            startedAt: Date(),
            monotonicStart: 0
        )
        #expect(result.failure == reason)
    }

    @Test func unexpectedStatusIsHTTPStatusAndCacheHeaderIsRead() {
        let p = probe(.entitlement)
        let bad = ProbeExecution.evaluateMain(
            p,
            transfer: TransferResult(status: 500, headers: [("X-Cache", "MISS")]),
            identity: RequestIdentity(),
            startedAt: Date(),
            monotonicStart: 0
        )
        #expect(bad.failure == .httpStatus)
        #expect(bad.cache == .miss)
        let good = ProbeExecution.evaluateMain(
            p,
            transfer: TransferResult(status: 200, headers: [("x-cache", "hit from edge")]),
            identity: RequestIdentity(),
            startedAt: Date(),
            monotonicStart: 0
        )
        #expect(good.success)
        #expect(good.cache == .hit)
    }
}
