/// One entry of `/api/v1/alerts`: an active or recently resolved alert, a (rule, probe) pair without enough
/// data to judge, or one whose condition does not hold (``AlertState/inactive``).
package struct AlertStateSnapshot: Sendable, Equatable, Codable {
    /// The `alertname` label.
    package var alertname: String
    /// The probe (empty for internal alerts).
    package var probe: String
    /// The state shown: ``AlertState/nodata`` when the last evaluation lacked data.
    package var state: AlertState
    /// While ``state`` is ``AlertState/nodata`` or ``AlertState/suppressed``, the state the alert keeps (pending
    /// or firing), if any.
    package var heldState: AlertState?
    /// All labels.
    package var labels: [String: String]
    /// All annotations.
    package var annotations: [String: String]
    /// ``Fingerprint`` of ``labels``.
    package var fingerprint: String
    /// When the condition started holding, Unix seconds.
    package var activeAt: Double?
    /// When the alert fired.
    package var firedAt: Double?
    /// When it resolved.
    package var resolvedAt: Double?
    /// The measured values, one per window of the rule.
    package var values: [Double]
    /// Why the rule has no data, when it has none.
    package var noDataReason: String?
    /// The ids of the silences holding the alert (then ``state`` is ``AlertState/suppressed``).
    package var silencedBy: [String] = []
    /// The names of the maintenance windows holding it.
    package var mutedBy: [String] = []

    /// Creates an entry.
    package init(
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
