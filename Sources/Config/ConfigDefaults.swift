/// Documented default values and fixed paths of the billing API.
public enum ConfigDefaults {
    /// The default synthetic user id.
    public static let userID = "slaprobe-synthetic-user"
    /// The default synthetic project id.
    public static let projectID = "slaprobe-synthetic-project"
    /// The default checkout price id.
    public static let priceID = "price_slaprobe_synthetic"
    /// The default cache header.
    public static let cacheHeader = "X-Cache"
    /// The environment variable read for the API key when none is configured.
    public static let apiKeyVariable = "SLAPROBE_API_KEY"
    /// The environment variable read for the webhook secret when none is configured.
    public static let webhookSecretVariable = "SLAPROBE_WEBHOOK_SECRET"
    /// The entitlement endpoint path (the query is built from user_id and project_id).
    public static let entitlementPath = "/api/v1/entitlements"
    /// The checkout endpoint path.
    public static let checkoutPath = "/api/v1/checkout/create"
    /// The webhook endpoint path.
    public static let webhookPath = "/api/v1/webhooks/stripe"
    /// The smallest rolling window accepted.
    public static let minimumWindow = Duration.seconds(10)
    /// The placeholders allowed in headers and bodies.
    public static let placeholders = ["uuid", "now", "unix", "request_id"]
    /// Label names slaprobe uses itself, refused in `labels`.
    public static let reservedLabels = ["probe", "le", "quantile", "window", "phase", "reason", "result"]
}
