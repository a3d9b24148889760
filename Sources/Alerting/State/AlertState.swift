/// Where an alert is in its life, as `/api/v1/alerts` shows it.
package enum AlertState: String, Sendable, Codable, CaseIterable {
    /// The condition does not hold (no alert exists).
    case inactive
    /// The condition holds, for less than the rule's `for`.
    case pending
    /// The condition has held for `for` (or within `keep_firing_for` of clearing).
    case firing
    /// The alert was firing and its condition has cleared.
    case resolved
    /// Too few samples to judge: the alert neither fires nor resolves, and keeps the state it had.
    case nodata
    /// Pending or firing, but held by a silence or a maintenance window: evaluated as usual, notifying nobody.
    /// Only shown; the alert's own state (in ``AlertStateSnapshot/heldState``) moves on underneath.
    case suppressed
}
