/// One fully resolved probe: every default (global, target and per kind) is already applied.
package struct ProbeConfig: Sendable, Equatable {
    /// The unique probe name, used as the `probe` label.
    package var name: String
    /// What the probe exercises.
    package var kind: ProbeKind
    /// The full request URL (for billing kinds, `target.url` joined with the kind's path by default).
    package var url: String
    /// The HTTP method, upper-case.
    package var method: String
    /// Extra request headers in configuration order; values may contain placeholders.
    package var headers: [HeaderField]
    /// The request body template, if any; may contain placeholders.
    package var body: String?
    /// Accepted statuses; a response matching none is a failure.
    package var expectStatus: [StatusMatcher]
    /// The probe interval.
    package var interval: Duration
    /// The request timeout (<= interval).
    package var timeout: Duration
    /// The jitter as a fraction of the interval (0...0.5).
    package var jitter: Double
    /// The response body cap in bytes.
    package var maxBodyBytes: Int
    /// Whether to keep connections between runs (warm path) instead of a fresh connection each time.
    package var reuseConnections: Bool
    /// The p95 latency SLA threshold.
    package var latencyThreshold: Duration
    /// Body assertions, in configuration order.
    package var assertions: [BodyAssertion]
    /// Where cache hits and misses are observed.
    package var cache: CacheSource
    /// The bearer API key (required for entitlement and checkout).
    package var apiKey: Secret?
    /// The Stripe-style webhook signing secret (required for webhook).
    package var webhookSecret: Secret?
    /// The synthetic user id sent by billing probes.
    package var userID: String
    /// Users a run picks its `{{user_id}}` from instead of ``userID`` (`user_pool`); nil for none.
    package var userPool: UserPool?
    /// The synthetic project id sent by billing probes.
    package var projectID: String
    /// The price id sent by the checkout probe.
    package var priceID: String
    /// Webhook only: also send a forged signature and a stale timestamp, each of which must get a 4xx.
    package var negativeCases: Bool
    /// Checkout only: replay the Idempotency-Key and require the same session back.
    package var idempotencyReplay: Bool
    /// TLS verification settings.
    package var tls: TLSSettings
    /// Extra static labels, in configuration order.
    package var labels: [ProbeLabel]
    /// The line where the probe is defined, for messages; nil for generated probes.
    package var line: Int?
    /// The steps of a `journey` probe; nil for every other kind.
    package var journey: JourneyConfig?

    /// Creates a probe; parameters left out take the per-kind and global defaults.
    package init(
        name: String,
        kind: ProbeKind,
        url: String,
        method: String? = nil,
        headers: [HeaderField] = [],
        body: String? = nil,
        expectStatus: [StatusMatcher]? = nil,
        interval: Duration = .seconds(5),
        timeout: Duration = .seconds(2),
        jitter: Double = 0.1,
        maxBodyBytes: Int = 1 << 20,
        reuseConnections: Bool = false,
        latencyThreshold: Duration? = nil,
        assertions: [BodyAssertion] = [],
        cache: CacheSource? = nil,
        apiKey: Secret? = nil,
        webhookSecret: Secret? = nil,
        userID: String = ConfigDefaults.userID,
        projectID: String = ConfigDefaults.projectID,
        priceID: String = ConfigDefaults.priceID,
        negativeCases: Bool? = nil,
        idempotencyReplay: Bool = false,
        tls: TLSSettings = TLSSettings(),
        labels: [ProbeLabel] = [],
        line: Int? = nil,
        journey: JourneyConfig? = nil,
        userPool: UserPool? = nil
    ) {
        self.name = name
        self.kind = kind
        self.url = url
        self.method = method ?? kind.defaultMethod
        self.headers = headers
        self.body = body
        self.expectStatus = expectStatus ?? kind.defaultExpectStatus
        self.interval = interval
        self.timeout = timeout
        self.jitter = jitter
        self.maxBodyBytes = maxBodyBytes
        self.reuseConnections = reuseConnections
        self.latencyThreshold = latencyThreshold ?? kind.defaultLatencyThreshold
        self.assertions = assertions
        self.cache = cache ?? kind.defaultCache
        self.apiKey = apiKey
        self.webhookSecret = webhookSecret
        self.userID = userID
        self.projectID = projectID
        self.priceID = priceID
        self.negativeCases = negativeCases ?? (kind == .webhook)
        self.idempotencyReplay = idempotencyReplay
        self.tls = tls
        self.labels = labels
        self.line = line
        self.journey = journey
        self.userPool = userPool
    }
}
