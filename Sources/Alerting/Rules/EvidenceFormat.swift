import Config
import FoundationEssentials

/// How evidence values are written into annotations: short, stable and locale-independent.
enum EvidenceFormat {
    /// A number with up to four significant digits, e.g. `0.1234`, `0.05`, `12.5`.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "+Inf" : "-Inf") }
        return PrintfFormat.string("%.4g", value)
    }

    /// A duration in Prometheus spelling: `30s`, `5m`, `1h`, `1h30m`, `500ms`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds > 0 else { return "0s" }
        var milliseconds = Int((seconds * 1000).rounded())
        if milliseconds % 1000 != 0 && milliseconds < 1000 { return "\(milliseconds)ms" }
        var text = ""
        let units: [(String, Int)] = [("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)]
        for (unit, size) in units where milliseconds >= size {
            text += "\(milliseconds / size)\(unit)"
            milliseconds %= size
        }
        return text
    }
}
