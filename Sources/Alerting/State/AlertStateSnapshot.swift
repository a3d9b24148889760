/// One entry of `/api/v1/alerts`: an active or recently resolved alert, or a (rule, probe) pair without enough
/// data to judge.
public struct AlertStateSnapshot: Sendable, Equatable, Codable {
    /// The `alertname` label.
    public var alertname: String
    /// The probe (empty for internal alerts).
    public var probe: String
    /// The state shown: ``AlertState/nodata`` when the last evaluation lacked data.
    public var state: AlertState
    /// While ``state`` is ``AlertState/nodata``, the state the alert keeps (pending or firing), if any.
    public var heldState: AlertState?
    /// All labels.
    public var labels: [String: String]
    /// All annotations.
    public var annotations: [String: String]
    /// ``Fingerprint`` of ``labels``.
    public var fingerprint: String
    /// When the condition started holding, Unix seconds.
    public var activeAt: Double?
    /// When the alert fired.
    public var firedAt: Double?
    /// When it resolved.
    public var resolvedAt: Double?
    /// The measured values, one per window of the rule.
    public var values: [Double]
    /// Why the rule has no data, when it has none.
    public var noDataReason: String?

    /// Creates an entry.
    public init(
        alertname: String,
        probe: String,
        state: AlertState,
        heldState: AlertState? = nil,
        labels: [String: String],
        annotations: [String: String] = [:],
        activeAt: Double? = nil,
        firedAt: Double? = nil,
        resolvedAt: Double? = nil,
        values: [Double] = [],
        noDataReason: String? = nil
    ) {
        self.alertname = alertname
        self.probe = probe
        self.state = state
        self.heldState = heldState
        self.labels = labels
        self.annotations = annotations
        self.fingerprint = Fingerprint(labels: labels).description
        self.activeAt = activeAt
        self.firedAt = firedAt
        self.resolvedAt = resolvedAt
        self.values = values
        self.noDataReason = noDataReason
    }
}
