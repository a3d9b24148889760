import Digest
import Foundation
import HTTPServer
import Simulator
import Testing

@Suite struct BillingSimulatorTests {
    let simulator = BillingSimulator(
        options: BillingSimulator.Options(
            apiKey: "sk_sim",
            webhookSecret: "whsec_sim",
            cacheHitRatio: 0.5,
            faults: Dictionary(
                uniqueKeysWithValues: SimulatedEndpoint.allCases.map {
                    ($0, EndpointFaults(latency: 0, jitter: 0, missLatency: 0))
                }
            )
        )
    )

    func entitlement(key: String = "sk_sim") -> ServerResponse {
        simulator.handle(
            ServerRequest(
                method: "GET",
                path: "/api/v1/entitlements",
                query: ["user_id": "u", "project_id": "p"],
                headers: ["authorization": "Bearer \(key)"]
            )
        )
    }

    func webhook(body: String, secret: String = "whsec_sim", timestamp: Int = Int(Date().timeIntervalSince1970))
        -> ServerResponse
    {
        var signed = Array("\(timestamp).".utf8)
        signed += Array(body.utf8)
        let mac = SHA256.hmac(key: Array(secret.utf8), message: signed)
        let hex = mac.map { String(format: "%02x", $0) }.joined()
        return simulator.handle(
            ServerRequest(
                method: "POST",
                path: "/api/v1/webhooks/stripe",
                headers: ["stripe-signature": "t=\(timestamp),v1=\(hex)"],
                body: Array(body.utf8)
            )
        )
    }

    @Test func entitlementNeedsTheBearerKey() {
        #expect(entitlement().status == 200)
        #expect(entitlement(key: "wrong").status == 401)
    }

    @Test func cacheHeaderAndCountersFollowTheHitRatio() {
        var hits = 0
        for _ in 0..<400 where entitlement().header("X-Cache") == "HIT" { hits += 1 }
        #expect((140...260).contains(hits))
        let metrics = simulator.handle(ServerRequest(method: "GET", path: "/metrics"))
        let text = metrics.bodyText
        #expect(text.contains("entitlement_cache_hits_total \(hits)\n"))
        #expect(text.contains("entitlement_cache_misses_total \(400 - hits)\n"))
    }

    @Test func checkoutIsIdempotent() throws {
        func checkout(_ key: String) -> String {
            let body =
                #"{"user_id":"u","project_id":"p","price_id":"pr","mode":"subscription","success_url":"s","cancel_url":"c"}"#
            let response = simulator.handle(
                ServerRequest(
                    method: "POST",
                    path: "/api/v1/checkout/create",
                    headers: ["authorization": "Bearer sk_sim", "idempotency-key": key],
                    body: Array(body.utf8)
                )
            )
            return response.bodyText
        }
        #expect(checkout("k1") == checkout("k1"))
        #expect(checkout("k1") != checkout("k2"))
        // The session echoes the requested mode, as Stripe's does.
        #expect(checkout("k3").contains(#""mode":"subscription""#))
        let missing = simulator.handle(
            ServerRequest(
                method: "POST",
                path: "/api/v1/checkout/create",
                headers: ["authorization": "Bearer sk_sim"],
                body: Array(#"{"user_id":"u"}"#.utf8)
            )
        )
        #expect(missing.status == 400)
    }

    @Test func webhookVerifiesSignatureAndTimestamp() {
        #expect(webhook(body: #"{"id":"evt_1"}"#).status == 200)
        #expect(webhook(body: #"{"id":"evt_1"}"#, secret: "forged").status == 400)
        #expect(webhook(body: #"{"id":"evt_1"}"#, timestamp: Int(Date().timeIntervalSince1970) - 3600).status == 400)
    }

    @Test func faultsChangeAtRunTime() throws {
        try FaultSettings.apply(["endpoint": "entitlement", "error_rate": "1", "status": "503"], to: simulator)
        #expect(entitlement().status == 503)
        try FaultSettings.apply(["reset": "true", "latency": "0", "jitter": "0", "miss_latency": "0"], to: simulator)
        #expect(entitlement().status == 200)
        try FaultSettings.apply(["endpoint": "entitlement", "latency": "120ms"], to: simulator)
        #expect(simulator.faults(for: .entitlement).latency == 0.12)
        #expect(throws: FaultSettings.InvalidSetting.self) {
            try FaultSettings.apply(["error_rate": "2"], to: simulator)
        }
        #expect(throws: FaultSettings.InvalidSetting.self) { try FaultSettings.apply(["bogus": "1"], to: simulator) }
        let shown = simulator.handle(ServerRequest(method: "GET", path: "/admin/faults")).bodyText
        #expect(shown.contains(#""latency_seconds":0.12"#))
    }

    @Test func bodyBytesStreamsALargeBody() throws {
        try FaultSettings.apply(["endpoint": "entitlement", "body_bytes": "50000000"], to: simulator)
        #expect(entitlement().body.count == 50_000_000)
    }

    @Test func unknownPathsAndMethods() {
        #expect(simulator.handle(ServerRequest(method: "GET", path: "/nope")).status == 404)
        #expect(simulator.handle(ServerRequest(method: "DELETE", path: "/api/v1/entitlements")).status == 405)
    }
}

extension ServerResponse {
    var bodyText: String {
        if case .bytes(let bytes) = body { return String(decoding: bytes, as: UTF8.self) }
        return ""
    }
}
