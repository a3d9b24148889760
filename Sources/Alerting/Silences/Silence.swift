import Config

/// A silence, in Alertmanager's sense: while it is active, every alert whose labels all its ``matchers`` match
/// is still evaluated and listed (as `suppressed`) but notifies no receiver.
///
/// Created and changed through `/api/v2/silences` (Alertmanager's v2 API shape, so `amtool` works), kept by the
/// ``SilenceStore``, and read by the status page through `WebRoutes.silences`. Times are Unix seconds.
package struct Silence: Sendable, Equatable, Codable {
    /// A random UUID, lowercased.
    package var id: String
    /// All must match an alert's labels for the silence to hold it; never empty.
    package var matchers: [LabelMatcher]
    /// When it starts holding alerts.
    package var startsAt: Double
    /// When it stops (exclusive); after ``startsAt``.
    package var endsAt: Double
    /// When it was created or last changed.
    package var updatedAt: Double
    /// Who created it (amtool sends the user name).
    package var createdBy: String
    /// Why it exists.
    package var comment: String

    /// Creates a silence.
    package init(
        id: String,
        matchers: [LabelMatcher],
        startsAt: Double,
        endsAt: Double,
        updatedAt: Double,
        createdBy: String,
        comment: String
    ) {
        self.id = id
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.updatedAt = updatedAt
        self.createdBy = createdBy
        self.comment = comment
    }

    /// Its state at `now`: pending before ``startsAt``, expired from ``endsAt`` on, active in between.
    package func state(at now: Double) -> SilenceState {
        if now >= endsAt { return .expired }
        if now < startsAt { return .pending }
        return .active
    }

    /// Whether it holds an alert with `labels` at `now`.
    package func mutes(_ labels: [String: String], at now: Double) -> Bool {
        state(at: now) == .active && matchers.allSatisfy { $0.matches(labels) }
    }
}
