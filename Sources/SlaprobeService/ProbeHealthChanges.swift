/// Each probe's health as its results come in, reduced to changes: ok to failing, failing to ok, and a first
/// result that fails. A value type that takes the results as arguments, so the rule is tested without a clock.
struct ProbeHealthChanges: Sendable {
    /// A change worth a log line.
    enum Change: Equatable, Sendable {
        /// The probe's first result failed, or a succeeding probe failed.
        case failing(first: Bool)
        /// A failing probe succeeded again after `failedRuns` failed runs.
        case recovered(failedRuns: Int)
    }

    /// Failed runs in a row for each probe that has had a result; 0 while it succeeds.
    private var failuresInARow: [String: Int] = [:]

    /// Takes one result of `probe` and returns the change it makes, or `nil` when its health is unchanged.
    mutating func observe(probe: String, success: Bool) -> Change? {
        let previous = failuresInARow[probe]
        failuresInARow[probe] = success ? 0 : (previous ?? 0) + 1
        switch (previous, success) {
        case (nil, false): return .failing(first: true)
        case (0, false): return .failing(first: false)
        case (let failed?, true) where failed > 0: return .recovered(failedRuns: failed)
        default: return nil
        }
    }

    /// Forgets probes no longer configured, so one that comes back starts afresh.
    mutating func keep(only probes: Set<String>) {
        failuresInARow = failuresInARow.filter { probes.contains($0.key) }
    }
}
