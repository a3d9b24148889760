/// One element of the JSON array POSTed to Alertmanager's `/api/v2/alerts` (its `postableAlert`).
package struct AlertmanagerAlert: Sendable, Equatable, Codable {
    /// The alert's labels.
    package var labels: [String: String]
    /// Its annotations.
    package var annotations: [String: String]
    /// RFC 3339 time it started firing.
    package var startsAt: String
    /// RFC 3339: while firing, now + 4 × max(evaluation interval, resend delay); once resolved, the resolve time.
    package var endsAt: String
    /// Link back to slaprobe; left out when empty (Alertmanager wants a URI).
    package var generatorURL: String?

    /// Converts an outgoing alert; `validUntil` is the end time given to a firing alert.
    init(_ alert: OutgoingAlert, validUntil: Double) {
        self.labels = alert.labels
        self.annotations = alert.annotations
        self.startsAt = RFC3339.format(alert.startsAt)
        self.endsAt = RFC3339.format(alert.status == .firing ? validUntil : (alert.endsAt ?? alert.startsAt))
        self.generatorURL = alert.generatorURL.isEmpty ? nil : alert.generatorURL
    }
}
