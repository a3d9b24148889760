/// Everything the evaluator knows about one probe at one evaluation: its windows and how fresh its data is.
package struct ProbeSnapshot: Sendable, Equatable {
    /// The probe's configured name.
    package var probe: String
    /// The probe kind: `entitlement`, `checkout`, `webhook` or `http`.
    package var kind: String
    /// Seconds since the probe's last result, `nil` if it has never produced one.
    package var secondsSinceLastSample: Double?
    /// One snapshot per window length the service keeps.
    package var windows: [ProbeWindowSnapshot]
    /// The probe's own interval, seconds: a probe is silent only after missing three of its runs, so a slow
    /// probe (every 5 minutes, say) does not raise `SlaprobeNoData` between two runs.
    package var interval: Double?

    /// Creates a probe snapshot.
    package init(
        probe: String,
        kind: String,
        secondsSinceLastSample: Double?,
        windows: [ProbeWindowSnapshot],
        interval: Double? = nil
    ) {
        self.interval = interval
        self.probe = probe
        self.kind = kind
        self.secondsSinceLastSample = secondsSinceLastSample
        self.windows = windows
    }

    /// The window of this length (to within half a second), if the service keeps it.
    package func window(_ seconds: Double) -> ProbeWindowSnapshot? {
        windows.first { abs($0.window - seconds) < 0.5 }
    }
}
