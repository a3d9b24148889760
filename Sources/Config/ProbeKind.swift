/// What a probe exercises: one of the three billing endpoints, a generic HTTP check, or a multi-step journey.
package enum ProbeKind: String, Sendable, CaseIterable {
    case entitlement
    case checkout
    case webhook
    case http
    /// An ordered list of requests (``JourneyConfig``), judged as one run.
    case journey

    /// The method used when a probe does not set one: `GET` for entitlement and http, `POST` otherwise.
    package var defaultMethod: String {
        switch self {
        case .entitlement, .http, .journey: return "GET"
        case .checkout, .webhook: return "POST"
        }
    }

    /// The expected statuses when a probe does not set them: `[200]` for entitlement, `["2xx"]` otherwise.
    package var defaultExpectStatus: [StatusMatcher] {
        switch self {
        case .entitlement: return [.exact(200)]
        case .checkout, .webhook, .http, .journey: return [.cls(2)]
        }
    }

    /// The SLA latency threshold (p95): 100ms entitlement, 500ms checkout, 1s webhook, 100ms http, 2s journey.
    package var defaultLatencyThreshold: Duration {
        switch self {
        case .entitlement, .http: return ConfigDefaults.entitlementLatency
        case .checkout: return ConfigDefaults.checkoutLatency
        case .webhook: return ConfigDefaults.webhookLatency
        case .journey: return ConfigDefaults.journeyLatency
        }
    }

    /// The cache observation when a probe does not set one: the `X-Cache` header for entitlement, none otherwise.
    package var defaultCache: CacheSource {
        self == .entitlement ? .header(name: ConfigDefaults.cacheHeader) : .none
    }

    /// Whether this is one of the billing kinds (journeys included), which take their defaults from the `target`
    /// section.
    package var isBilling: Bool { self != .http }

    /// Whether the probe needs an API key (entitlement and checkout).
    package var needsAPIKey: Bool { self == .entitlement || self == .checkout }

    /// Whether the probe needs a webhook signing secret (webhook).
    package var needsWebhookSecret: Bool { self == .webhook }
}
