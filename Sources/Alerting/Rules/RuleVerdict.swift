/// What one rule measured for one probe at one evaluation.
package enum RuleVerdict: Sendable, Equatable {
    /// Too few samples (or the window is missing): the rule neither fires nor resolves.
    case noData(reason: String)
    /// Values were measured, one per window in the rule's order; `evidence` holds the annotation values.
    case measured(values: [Double], evidence: [String: String])
}
