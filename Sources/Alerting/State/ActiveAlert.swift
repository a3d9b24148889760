/// One alert the evaluator tracks, persisted across restarts.
struct ActiveAlert: Sendable, Codable, Equatable {
    var rule: String
    var probe: String
    var labels: [String: String]
    var annotations: [String: String]
    /// pending, firing or resolved.
    var state: AlertState
    var activeAt: Double
    var firedAt: Double?
    var resolvedAt: Double?
    /// When the condition last stopped holding while firing (keep_firing_for counts from here).
    var keepFiringSince: Double?
    /// Time spent pending while the rule had no data; the `for` clock stands still then.
    var frozenFor: Double = 0
    var lastEvaluatedAt: Double
    var noData: Bool = false
    var noDataReason: String?
    var values: [Double] = []

    var fingerprint: Fingerprint { Fingerprint(labels: labels) }
}
