/// An alert as handed to the receivers after an evaluation: firing, or resolved within the retention time.
package struct OutgoingAlert: Sendable, Equatable, Codable {
    /// `firing` or `resolved`.
    package enum Status: String, Sendable, Codable {
        /// Still active.
        case firing
        /// Ended at ``OutgoingAlert/endsAt``.
        case resolved
    }

    /// The alert's labels.
    package var labels: [String: String]
    /// Its annotations, evidence included.
    package var annotations: [String: String]
    /// Whether it is still active.
    package var status: Status
    /// When it started firing, Unix seconds.
    package var startsAt: Double
    /// When it resolved, Unix seconds; `nil` while firing.
    package var endsAt: Double?
    /// A link back to slaprobe.
    package var generatorURL: String
    /// ``Fingerprint`` of ``labels``, as Alertmanager computes it.
    package var fingerprint: String { Fingerprint(labels: labels).description }

    /// Creates an alert.
    package init(
        labels: [String: String],
        annotations: [String: String],
        status: Status,
        startsAt: Double,
        endsAt: Double?,
        generatorURL: String
    ) {
        self.labels = labels
        self.annotations = annotations
        self.status = status
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
    }
}
