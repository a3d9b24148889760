/// How urgently a human must act on an alert; becomes the `severity` label.
package enum AlertSeverity: String, Sendable, Codable, CaseIterable {
    /// Wake someone up: the SLA is being broken now.
    case page
    /// Needs attention within working hours.
    case ticket
    /// Informational; nobody needs to act.
    case warning
}
