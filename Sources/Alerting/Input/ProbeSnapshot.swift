/// Everything the evaluator knows about one probe at one evaluation: its windows and how fresh its data is.
public struct ProbeSnapshot: Sendable, Equatable {
    /// The probe's configured name.
    public var probe: String
    /// The probe kind: `entitlement`, `checkout`, `webhook` or `http`.
    public var kind: String
    /// Seconds since the probe's last result, `nil` if it has never produced one.
    public var secondsSinceLastSample: Double?
    /// One snapshot per window length the service keeps.
    public var windows: [ProbeWindowSnapshot]
    /// The probe's own interval, seconds: a probe is silent only after missing three of its runs, so a slow
    /// probe (every 5 minutes, say) does not raise `SlaprobeNoData` between two runs.
    public var interval: Double?

    /// Creates a probe snapshot.
    public init(
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
    public func window(_ seconds: Double) -> ProbeWindowSnapshot? {
        windows.first { abs($0.window - seconds) < 0.5 }
    }
}
