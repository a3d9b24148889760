/// One series of `slaprobe_alerts{alertname,probe,alertstate}`; its value is always 1.
public struct AlertGaugeRow: Sendable, Equatable, Hashable {
    /// The `alertname` label.
    public var alertname: String
    /// The `probe` label (empty for internal alerts).
    public var probe: String
    /// `pending` or `firing`.
    public var alertstate: String

    /// Creates a row.
    public init(alertname: String, probe: String, alertstate: String) {
        self.alertname = alertname
        self.probe = probe
        self.alertstate = alertstate
    }
}
