import FoundationEssentials

/// Where notifications go and how: an Alertmanager-compatible webhook or an Alertmanager `/api/v2/alerts` push.
package struct ReceiverConfig: Sendable, Equatable, CustomStringConvertible {
    /// How a receiver is spoken to.
    package enum Kind: String, Sendable, Codable, CaseIterable {
        /// POST the Alertmanager webhook payload (version "4") for each alert group.
        case webhook
        /// POST alerts to `<url>/api/v2/alerts` as Prometheus does.
        case alertmanager
    }

    /// How requests are signed.
    package enum Signing: Sendable, Equatable {
        /// No signature.
        case none
        /// Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256>`;
        /// a `whsec_` secret is base64-decoded after the prefix.
        case standardWebhooks(Secret)
        /// Stripe style: `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
        case stripe(Secret)
    }

    /// The receiver's name, used in metrics and logs.
    package var name: String
    /// How it is spoken to.
    package var kind: Kind
    /// The webhook URL, or the Alertmanager base URL (without `/api/v2/alerts`). May carry credentials, which
    /// never appear in logs or errors.
    package var url: String
    /// Request signing.
    package var signing: Signing
    /// Limit per delivery attempt, in seconds.
    package var timeout: Double
    /// Extra request headers (e.g. `Authorization`); their values are never logged.
    package var headers: [String: String]
    /// Whether resolved alerts are sent to a webhook (Alertmanager always gets them).
    package var sendResolved: Bool
    /// At most this many alerts per webhook payload (0: no limit); the rest are counted in `truncatedAlerts`.
    package var maxAlerts: Int

    /// Creates a receiver.
    package init(
        name: String,
        kind: Kind = .webhook,
        url: String,
        signing: Signing = .none,
        timeout: Double = 10,
        headers: [String: String] = [:],
        sendResolved: Bool = true,
        maxAlerts: Int = 0
    ) {
        self.name = name
        self.kind = kind
        self.url = url
        self.signing = signing
        self.timeout = timeout
        self.headers = headers
        self.sendResolved = sendResolved
        self.maxAlerts = maxAlerts
    }

    /// The URL requests go to: `url` itself, or `<url>/api/v2/alerts` for Alertmanager.
    package var endpoint: String {
        switch kind {
        case .webhook:
            return url
        case .alertmanager:
            let base = url.hasSuffix("/") ? String(url.dropLast()) : url
            return base + "/api/v2/alerts"
        }
    }

    /// The scheme, host and port only (the path or query may be the secret): what logs, pages and errors show.
    package var redactedURL: String { URLRedaction.allButOrigin.apply(to: url) }

    package var description: String { "\(kind.rawValue) receiver \(name) (\(redactedURL))" }

    /// Problems with this receiver; empty when valid.
    package func validate() -> [String] {
        var problems: [String] = []
        let prefix = "receiver \(name.isEmpty ? "<unnamed>" : name)"
        if name.isEmpty { problems.append("\(prefix): name must not be empty") }
        if name.contains("/") || name.hasPrefix(".") {
            problems.append("\(prefix): name must not contain / or start with .")
        }
        if let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", components.host?.isEmpty == false
        {
        } else {
            problems.append("\(prefix): url \(redactedURL) must be an absolute http or https URL")
        }
        if !(timeout > 0) { problems.append("\(prefix): timeout must be positive") }
        if maxAlerts < 0 { problems.append("\(prefix): max alerts must not be negative") }
        switch signing {
        case .none:
            break
        case .standardWebhooks(let secret):
            if secret.value.isEmpty { problems.append("\(prefix): signing secret must not be empty") }
            if secret.value.hasPrefix("whsec_"), Data(base64Encoded: String(secret.value.dropFirst(6))) == nil {
                problems.append("\(prefix): whsec_ signing secret is not valid base64 after its prefix")
            }
        case .stripe(let secret):
            if secret.value.isEmpty { problems.append("\(prefix): signing secret must not be empty") }
        }
        return problems
    }
}
