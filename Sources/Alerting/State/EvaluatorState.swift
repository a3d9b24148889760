/// The evaluator's persisted part: its alerts and how long probes have been missing.
struct EvaluatorState: Sendable, Codable, Equatable {
    var alerts: [ActiveAlert]
    var missingSince: [String: Double]
}
