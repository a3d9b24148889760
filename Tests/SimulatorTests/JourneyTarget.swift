import Digest
import Foundation
import HTTPServer
import Simulator
import Testing

/// A simulator on a manual clock, with the requests of the purchase journey: checkout, a signed completed
/// checkout, an entitlement lookup and a signed deleted subscription.
struct JourneyTarget {
    let clock = ManualClock()
    let simulator: BillingSimulator

    init(
        grants: GrantFaults = GrantFaults(delay: 0.3, jitter: 0),
        cacheHitRatio: Double = 1,
        cacheUsers: Int = 1000,
        sessionCapacity: Int = 10_000,
        customerCapacity: Int = 10_000
    ) {
        simulator = BillingSimulator(
            options: BillingSimulator.Options(
                apiKey: "sk_sim",
                webhookSecret: "whsec_sim",
                cacheHitRatio: cacheHitRatio,
                faults: Dictionary(
                    uniqueKeysWithValues: SimulatedEndpoint.allCases.map {
                        ($0, EndpointFaults(latency: 0, jitter: 0, missLatency: 0))
                    }
                ),
                grants: grants,
                cacheUsers: cacheUsers,
                sessionCapacity: sessionCapacity,
                customerCapacity: customerCapacity,
                clock: clock.function
            )
        )
    }

    static func newCustomer() -> String {
        "slaprobe-journey-" + UUID().uuidString.lowercased()
    }

    func checkout(_ user: String, key: String? = nil) -> ServerResponse {
        let body = Self.flatObject([
            ("user_id", user), ("project_id", "p"), ("price_id", "pr"), ("mode", "subscription"),
            ("success_url", "s"), ("cancel_url", "c"),
        ])
        var headers = ["authorization": "Bearer sk_sim"]
        if let key { headers["idempotency-key"] = key }
        return simulator.handle(
            ServerRequest(method: "POST", path: "/api/v1/checkout/create", headers: headers, body: Array(body.utf8))
        )
    }

    /// Creates a checkout session for `user` and returns its `session_id`.
    func session(for user: String) throws -> String {
        let response = checkout(user)
        let object = try JSONSerialization.jsonObject(with: Data(response.bodyText.utf8)) as? [String: Any]
        return try #require(object?["session_id"] as? String)
    }

    func event(_ type: String, object: String, user: String?, secret: String = "whsec_sim") -> ServerResponse {
        let metadata = user.map { #","metadata":{"user_id":"\#($0)","project_id":"p"}"# } ?? ""
        let body =
            #"{"id":"evt_\#(UUID().uuidString)","object":"event","type":"\#(type)","#
            + #""data":{"object":{"id":"\#(object)"\#(metadata)}}}"#
        return signed(body, secret: secret)
    }

    func completed(_ session: String, user: String?) -> ServerResponse {
        event("checkout.session.completed", object: session, user: user)
    }

    func deleted(_ user: String, session: String = "sub_sim") -> ServerResponse {
        event("customer.subscription.deleted", object: session, user: user)
    }

    func signed(_ body: String, secret: String = "whsec_sim") -> ServerResponse {
        let timestamp = Int(Date().timeIntervalSince1970)
        let mac = SHA256.hmac(key: Array(secret.utf8), message: Array("\(timestamp).\(body)".utf8))
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

    private static func flatObject(_ members: [(String, String)]) -> String {
        "{" + members.map { #""\#($0.0)":"\#($0.1)""# }.joined(separator: ",") + "}"
    }

    func lookup(_ user: String) -> ServerResponse {
        simulator.handle(
            ServerRequest(
                method: "GET",
                path: "/api/v1/entitlements",
                query: ["user_id": user, "project_id": "p"],
                headers: ["authorization": "Bearer sk_sim"]
            )
        )
    }

    /// The `entitled` field of an entitlement lookup.
    func entitled(_ user: String) throws -> Bool {
        let object = try JSONSerialization.jsonObject(with: Data(lookup(user).bodyText.utf8)) as? [String: Any]
        return try #require(object?["entitled"] as? Bool)
    }

    /// The value of an unlabelled sample, or of `name{labels}`, on the simulator's `/metrics`.
    func metric(_ sample: String) -> Double? {
        let text = simulator.handle(ServerRequest(method: "GET", path: "/metrics")).bodyText
        for line in text.split(separator: "\n") where line.hasPrefix(sample + " ") {
            return Double(line.dropFirst(sample.count + 1))
        }
        return nil
    }
}
