/// Documented default values and fixed paths of the billing API.
package enum ConfigDefaults {
    /// The default synthetic user id.
    package static let userID = "slaprobe-synthetic-user"
    /// The default synthetic project id.
    package static let projectID = "slaprobe-synthetic-project"
    /// The default checkout price id.
    package static let priceID = "price_slaprobe_synthetic"
    /// The default cache header.
    package static let cacheHeader = "X-Cache"
    /// The environment variable read for the API key when none is configured.
    package static let apiKeyVariable = "SLAPROBE_API_KEY"
    /// The environment variable read for the webhook secret when none is configured.
    package static let webhookSecretVariable = "SLAPROBE_WEBHOOK_SECRET"
    /// The entitlement endpoint path (the query is built from user_id and project_id).
    package static let entitlementPath = "/api/v1/entitlements"
    /// The checkout endpoint path.
    package static let checkoutPath = "/api/v1/checkout/create"
    /// The webhook endpoint path.
    package static let webhookPath = "/api/v1/webhooks/stripe"
    /// The smallest rolling window accepted.
    package static let minimumWindow = Duration.seconds(10)
    /// The placeholders allowed in headers and bodies.
    package static let placeholders = ["uuid", "now", "unix", "request_id"]
    /// Label names slaprobe uses itself, refused in `labels`.
    package static let reservedLabels = ["probe", "le", "quantile", "window", "phase", "reason", "result"]
}
