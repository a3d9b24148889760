import JSON

/// The body of a webhook notification: Alertmanager's webhook payload, version "4", field for field.
package struct WebhookPayload: Sendable, Equatable, Codable {
    /// One alert inside the payload.
    package struct Alert: Sendable, Equatable, Codable {
        /// `firing` or `resolved`.
        package var status: String
        /// The alert's labels.
        package var labels: [String: String]
        /// Its annotations.
        package var annotations: [String: String]
        /// RFC 3339 start.
        package var startsAt: String
        /// RFC 3339 end; `0001-01-01T00:00:00Z` while firing.
        package var endsAt: String
        /// Link back to slaprobe.
        package var generatorURL: String
        /// Alertmanager fingerprint of the labels.
        package var fingerprint: String
    }

    /// Always "4".
    package var version: String
    /// `{}:{alertname="…", probe="…"}`: the route key and the group labels, as Alertmanager writes it.
    package var groupKey: String
    /// Alerts left out because of the receiver's `maxAlerts`.
    package var truncatedAlerts: Int
    /// `firing` if any alert in the payload fires, else `resolved`.
    package var status: String
    /// The receiver's name.
    package var receiver: String
    /// The labels the group is keyed by.
    package var groupLabels: [String: String]
    /// Labels every alert shares.
    package var commonLabels: [String: String]
    /// Annotations every alert shares.
    package var commonAnnotations: [String: String]
    /// slaprobe's external URL.
    package var externalURL: String
    /// The alerts.
    package var alerts: [Alert]

    /// Builds the payload for one group flush.
    init(
        receiver: String,
        groupKey: String,
        groupLabels: [String: String],
        alerts outgoing: [OutgoingAlert],
        externalURL: String,
        maxAlerts: Int
    ) {
        let converted = outgoing.map { alert in
            Alert(
                status: alert.status.rawValue,
                labels: alert.labels,
                annotations: alert.annotations,
                startsAt: RFC3339.format(alert.startsAt),
                endsAt: alert.status == .firing ? RFC3339.zero : RFC3339.format(alert.endsAt ?? alert.startsAt),
                generatorURL: alert.generatorURL,
                fingerprint: alert.fingerprint
            )
        }
        self.version = "4"
        self.groupKey = groupKey
        self.status = outgoing.contains { $0.status == .firing } ? "firing" : "resolved"
        self.receiver = receiver
        self.groupLabels = groupLabels
        self.commonLabels = Self.common(outgoing.map(\.labels))
        self.commonAnnotations = Self.common(outgoing.map(\.annotations))
        self.externalURL = externalURL
        if maxAlerts > 0 && converted.count > maxAlerts {
            self.alerts = Array(converted.prefix(maxAlerts))
            self.truncatedAlerts = converted.count - maxAlerts
        } else {
            self.alerts = converted
            self.truncatedAlerts = 0
        }
    }

    /// Alertmanager's group key for a route at the root: `{}:` followed by the group labels as a Prometheus
    /// label set, `{alertname="X", probe="Y"}`.
    static func groupKey(groupLabels: [String: String]) -> String {
        let pairs = groupLabels.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { name in
            "\(name)=\(JSONText.quoted(groupLabels[name]!))"
        }
        return "{}:{" + pairs.joined(separator: ", ") + "}"
    }

    private static func common(_ sets: [[String: String]]) -> [String: String] {
        guard var result = sets.first else { return [:] }
        for set in sets.dropFirst() {
            result = result.filter { set[$0.key] == $0.value }
        }
        return result
    }
}
