/// The billing defaults in one place: what slaprobe probes, how, and against which SLA when the configuration
/// does not say otherwise.
package enum ConfigDefaults {
    // MARK: The billing API

    /// The entitlement endpoint path (the query is built from user_id and project_id).
    package static let entitlementPath = "/api/v1/entitlements"
    /// The checkout endpoint path.
    package static let checkoutPath = "/api/v1/checkout/create"
    /// The webhook endpoint path.
    package static let webhookPath = "/api/v1/webhooks/stripe"
    /// The default synthetic user id.
    package static let userID = "slaprobe-synthetic-user"
    /// The default synthetic project id.
    package static let projectID = "slaprobe-synthetic-project"
    /// The default checkout price id.
    package static let priceID = "price_slaprobe_synthetic"
    /// The response header that reports entitlement cache hits.
    package static let cacheHeader = "X-Cache"
    /// The environment variable read for the API key when none is configured.
    package static let apiKeyVariable = "SLAPROBE_API_KEY"
    /// The environment variable read for the webhook secret when none is configured.
    package static let webhookSecretVariable = "SLAPROBE_WEBHOOK_SECRET"

    // MARK: The SLA

    /// The p95 latency SLA of the entitlement endpoint (also the default of generic http probes).
    package static let entitlementLatency = Duration.milliseconds(100)
    /// The p95 latency SLA of the checkout endpoint.
    package static let checkoutLatency = Duration.milliseconds(500)
    /// The p95 latency SLA of the webhook endpoint.
    package static let webhookLatency = Duration.seconds(1)
    /// The p95 SLA of a whole journey run (the built-in purchase journey and custom journeys).
    package static let journeyLatency = Duration.seconds(2)
    /// The p95 SLA of the purchase journey's `entitled` step: the time to entitlement.
    package static let entitledLatency = Duration.seconds(1)

    // MARK: Journeys

    /// The name of the built-in purchase journey (`journey: purchase`), also its probe name in zero-config.
    package static let purchaseJourney = "purchase"
    /// The prefix of the fresh synthetic user of each journey run (`{{journey_user}}`).
    package static let journeyUserPrefix = "slaprobe-journey-"
    /// The whole-run timeout of a journey when none is set.
    package static let journeyTimeout = Duration.seconds(15)
    /// How often the purchase journey asks whether the grant arrived.
    package static let entitledPollInterval = Duration.milliseconds(100)
    /// How long the purchase journey waits for the grant.
    package static let entitledPollDeadline = Duration.seconds(10)
    /// The placeholders allowed in journey steps besides ``placeholders`` and `{{vars.NAME}}`.
    package static let journeyPlaceholders = ["unix_ms", "user_id", "project_id", "price_id", "journey_user"]

    // MARK: Probing

    /// The probe interval.
    package static let interval = Duration.seconds(5)
    /// The jitter as a fraction of the interval.
    package static let jitter = 0.1
    /// The probe timeout (or the interval when that is shorter).
    package static let timeout = Duration.seconds(2)
    /// The rolling windows.
    package static let windows: [Duration] = [.seconds(60), .seconds(300)]
    /// The response body cap in bytes (1 MiB).
    package static let maxBodyBytes = 1 << 20
    /// The shortest probe interval accepted: a shorter one floods the target.
    package static let minimumInterval = Duration.milliseconds(10)
    /// Intervals shorter than this are accepted with a warning: slaprobe is a low-rate prober.
    package static let lowRateInterval = Duration.seconds(1)
    /// The smallest rolling window accepted.
    package static let minimumWindow = Duration.seconds(10)
    /// The placeholders allowed in headers and bodies.
    package static let placeholders = ["uuid", "now", "unix", "request_id"]
    /// Label names slaprobe uses itself, refused in `labels`.
    package static let reservedLabels = ["probe", "le", "quantile", "window", "phase", "reason", "result", "cache"]

    // MARK: Alerting

    /// Where alert state and the outbox live, relative to the configuration file's directory.
    package static let storagePath = "data"
}
