/// One series of `slaprobe_alerts{alertname,probe,alertstate}`; its value is always 1.
package struct AlertGaugeRow: Sendable, Equatable, Hashable {
    /// The `alertname` label.
    package var alertname: String
    /// The `probe` label (empty for internal alerts).
    package var probe: String
    /// `pending` or `firing`.
    package var alertstate: String

    /// Creates a row.
    package init(alertname: String, probe: String, alertstate: String) {
        self.alertname = alertname
        self.probe = probe
        self.alertstate = alertstate
    }
}
