import Alerting

extension StatusPage {
    /// One silence as the page lists it (Alertmanager's fields), already formatted for display.
    struct SilenceRow: Sendable {
        /// The silence id.
        var id: String
        /// Its matchers as text, for example `alertname="SlaprobeLatencyHigh", probe=~"entitlement|checkout"`.
        var matchers: String
        /// `active`, `pending` or `expired`.
        var state: String
        /// Start, Unix seconds.
        var startsAt: Double
        /// End, Unix seconds.
        var endsAt: Double
        /// Who created it.
        var createdBy: String
        /// Why.
        var comment: String
    }

    /// The rows of `silences` at `now`: active ones first, then pending, then the 20 that expired last.
    static func silenceRows(_ silences: [Silence], at now: Double) -> [SilenceRow] {
        func rank(_ state: SilenceState) -> Int {
            switch state {
            case .active: 0
            case .pending: 1
            case .expired: 2
            }
        }
        let sorted = silences.sorted {
            (rank($0.state(at: now)), -$0.endsAt, $0.id) < (rank($1.state(at: now)), -$1.endsAt, $1.id)
        }
        let live = sorted.filter { $0.state(at: now) != .expired }
        let expired = sorted.filter { $0.state(at: now) == .expired }.prefix(20)
        return (live + expired).map { silence in
            SilenceRow(
                id: silence.id,
                matchers: silence.matchers.map(\.description).joined(separator: ", "),
                state: silence.state(at: now).rawValue,
                startsAt: silence.startsAt,
                endsAt: silence.endsAt,
                createdBy: silence.createdBy,
                comment: silence.comment
            )
        }
    }
}
