/// The resolved `target` section: defaults for the billing probes.
struct TargetDefaults {
    var url: String?
    var apiKey: SecretLookup = .absent
    var webhookSecret: SecretLookup = .absent
    var userID: String = ConfigDefaults.userID
    var projectID: String = ConfigDefaults.projectID
    var priceID: String = ConfigDefaults.priceID
    var tls = TLSSettings()
    /// Whether `url` was given but invalid (so a missing URL is not reported twice).
    var urlInvalid = false
}
