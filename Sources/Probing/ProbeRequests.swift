import Config
import FoundationEssentials
import HTTPClient
import JSON

/// Builds the HTTP requests of one probe run from its ``ProbeConfig``: the main request of each kind, and the
/// follow-up requests (forged and stale webhooks, the checkout replay).
package struct ProbeRequests: Sendable {
    /// The probe being run.
    package let probe: ProbeConfig
    /// The `User-Agent` every request carries.
    package let userAgent: String

    /// Creates a builder.
    package init(probe: ProbeConfig, userAgent: String) {
        self.probe = probe
        self.userAgent = userAgent
    }

    /// The main request, with a fresh identity, placeholders expanded and (for webhooks) signed.
    ///
    /// `{{user_id}}` is `user` when given, else a user drawn at random from the probe's ``ProbeConfig/userPool``,
    /// else the probe's ``ProbeConfig/userID``.
    package func main(identity: RequestIdentity, now: Date = Date(), user: String? = nil) -> ClientRequest {
        // Placeholder values (a formatted date among them) are built only when the probe uses a placeholder.
        let usesPlaceholders =
            Placeholders.mayContainPlaceholder(probe.url)
            || probe.body.map(Placeholders.mayContainPlaceholder) ?? false
            || probe.headers.contains { Placeholders.mayContainPlaceholder($0.value) }
        let placeholders =
            usesPlaceholders
            ? Placeholders(
                requestID: identity.requestID,
                userID: user ?? probe.userPool?.randomUser() ?? probe.userID,
                projectID: probe.projectID,
                priceID: probe.priceID,
                now: now
            ) : nil
        func expand(_ text: String) -> String { placeholders?.expand(text) ?? text }
        var headers = baseHeaders(identity: identity)
        var body: [UInt8]? = probe.body.map { Array(expand($0).utf8) }
        switch probe.kind {
        case .entitlement:
            headers.append(("Accept", "application/json"))
            if let key = probe.apiKey { headers.append(("Authorization", "Bearer \(key.value)")) }
        case .checkout:
            headers.append(("Content-Type", "application/json"))
            headers.append(("Idempotency-Key", UUID().uuidString.lowercased()))
            if let key = probe.apiKey { headers.append(("Authorization", "Bearer \(key.value)")) }
            if body == nil { body = Array(checkoutBody().utf8) }
        case .webhook:
            headers.append(("Content-Type", "application/json"))
            if body == nil { body = Array(webhookEvent(now: now).utf8) }
            if let secret = probe.webhookSecret {
                let signature = StripeSignature.header(
                    body: body!,
                    secret: secret.value,
                    timestamp: Int(now.timeIntervalSince1970)
                )
                headers.append(("Stripe-Signature", signature))
            }
        case .http, .journey:
            if let key = probe.apiKey { headers.append(("Authorization", "Bearer \(key.value)")) }
        }
        for field in probe.headers {
            headers.removeAll { $0.name.lowercased() == field.name.lowercased() }
            headers.append((field.name, expand(field.value)))
        }
        return request(url: expand(probe.url), method: probe.method, headers: headers, body: body)
    }

    /// The same webhook body signed with a wrong secret: a target must refuse it with a 4xx.
    package func forgedWebhook(from main: ClientRequest, now: Date = Date()) -> ClientRequest {
        let body = main.body ?? []
        let timestamp = Int(now.timeIntervalSince1970)
        let wrongSecret = "whsec_forged_by_slaprobe_" + UUID().uuidString
        return resigned(main, signature: StripeSignature.header(body: body, secret: wrongSecret, timestamp: timestamp))
    }

    /// The same webhook body correctly signed an hour ago: a target must refuse it as a replay with a 4xx.
    package func staleWebhook(from main: ClientRequest, now: Date = Date()) -> ClientRequest {
        let body = main.body ?? []
        let stale = Int(now.timeIntervalSince1970) - 3600
        let secret = probe.webhookSecret?.value ?? ""
        return resigned(main, signature: StripeSignature.header(body: body, secret: secret, timestamp: stale))
    }

    /// The main checkout request again, same `Idempotency-Key`, new request identity in the same trace.
    package func checkoutReplay(from main: ClientRequest) -> ClientRequest {
        var replay = main
        let parent = main.headers.first { $0.name == "traceparent" }?.value
        let identity = parent.map { RequestIdentity(traceID: String($0.dropFirst(3).prefix(32))) } ?? RequestIdentity()
        replay.headers = main.headers.map { field in
            switch field.name {
            case "X-Request-ID": return (field.name, identity.requestID)
            case "traceparent": return (field.name, identity.traceparent)
            default: return field
            }
        }
        return replay
    }

    /// A GET of the target's own `/metrics`, for ``CacheSource/metrics(url:)``.
    package func cacheMetrics(url: String) -> ClientRequest {
        let identity = RequestIdentity()
        return request(
            url: url,
            method: "GET",
            headers: baseHeaders(identity: identity),
            body: nil,
            maxBodyBytes: 16 << 20
        )
    }

    private func resigned(_ main: ClientRequest, signature: String) -> ClientRequest {
        var copy = checkoutReplay(from: main)
        copy.headers = copy.headers.map { $0.name == "Stripe-Signature" ? ($0.name, signature) : $0 }
        if !copy.headers.contains(where: { $0.name == "Stripe-Signature" }) {
            copy.headers.append(("Stripe-Signature", signature))
        }
        return copy
    }

    private func baseHeaders(identity: RequestIdentity) -> [(name: String, value: String)] {
        [("User-Agent", userAgent), ("X-Request-ID", identity.requestID), ("traceparent", identity.traceparent)]
    }

    private func request(
        url: String,
        method: String,
        headers: [(name: String, value: String)],
        body: [UInt8]?,
        maxBodyBytes: Int? = nil
    ) -> ClientRequest {
        ClientRequest(
            url: url,
            method: method,
            headers: headers,
            body: body,
            timeout: probe.timeout,
            maxBodyBytes: maxBodyBytes ?? probe.maxBodyBytes,
            freshConnection: !probe.reuseConnections,
            insecureSkipVerify: probe.tls.insecureSkipVerify,
            caFile: probe.tls.caFile
        )
    }

    private func checkoutBody() -> String {
        JSONText.object([
            ("user_id", .string(probe.userID)),
            ("project_id", .string(probe.projectID)),
            ("price_id", .string(probe.priceID)),
            ("mode", .string("subscription")),
            ("success_url", .string("https://slaprobe.invalid/checkout/success")),
            ("cancel_url", .string("https://slaprobe.invalid/checkout/cancel")),
        ])
    }

    private func webhookEvent(now: Date) -> String {
        let created = Int(now.timeIntervalSince1970)
        let session = JSONText.object([
            ("id", .string("cs_slaprobe_" + UUID().uuidString.lowercased())),
            ("object", .string("checkout.session")),
            ("mode", .string("subscription")),
            ("status", .string("complete")),
            (
                "metadata",
                .raw(
                    JSONText.object([
                        ("user_id", .string(probe.userID)),
                        ("project_id", .string(probe.projectID)),
                        ("synthetic", .string("slaprobe")),
                    ])
                )
            ),
        ])
        return JSONText.object([
            ("id", .string("evt_slaprobe_" + UUID().uuidString.lowercased())),
            ("object", .string("event")),
            ("type", .string("checkout.session.completed")),
            ("created", .raw(String(created))),
            ("livemode", .raw("false")),
            ("data", .raw(JSONText.object([("object", .raw(session))]))),
        ])
    }
}
