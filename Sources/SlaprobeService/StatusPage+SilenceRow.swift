extension StatusPage {
    /// One silence as the page lists it (Alertmanager's fields), already formatted for display.
    struct SilenceRow: Sendable {
        /// The silence id.
        var id: String
        /// Its matchers as text, for example `alertname="SlaprobeLatencyHigh", probe=~"entitlement|checkout"`.
        var matchers: String
        /// `active`, `pending` or `expired`.
        var state: String
        /// Start, Unix seconds.
        var startsAt: Double
        /// End, Unix seconds.
        var endsAt: Double
        /// Who created it.
        var createdBy: String
        /// Why.
        var comment: String
    }
}
