/// An alert as handed to the receivers after an evaluation: firing, or resolved within the retention time.
public struct OutgoingAlert: Sendable, Equatable, Codable {
    /// `firing` or `resolved`.
    public enum Status: String, Sendable, Codable {
        /// Still active.
        case firing
        /// Ended at ``OutgoingAlert/endsAt``.
        case resolved
    }

    /// The alert's labels.
    public var labels: [String: String]
    /// Its annotations, evidence included.
    public var annotations: [String: String]
    /// Whether it is still active.
    public var status: Status
    /// When it started firing, Unix seconds.
    public var startsAt: Double
    /// When it resolved, Unix seconds; `nil` while firing.
    public var endsAt: Double?
    /// A link back to slaprobe.
    public var generatorURL: String
    /// ``Fingerprint`` of ``labels``, as Alertmanager computes it.
    public var fingerprint: String { Fingerprint(labels: labels).description }

    /// Creates an alert.
    public init(
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
