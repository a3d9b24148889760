/// The type of a metric family, written in its `# TYPE` line.
package enum MetricType: String, Sendable {
    case counter
    case gauge
    case histogram
    /// Pre-computed quantiles (`quantile` label) over a sliding window.
    case summary
    /// Written as `untyped` in the text format and `unknown` in OpenMetrics.
    case unknown

    /// The `# TYPE` keyword in `format`.
    package func keyword(for format: ExpositionFormat) -> String {
        switch (self, format) {
        case (.unknown, .text): "untyped"
        default: rawValue
        }
    }
}
