/// Prometheus-style durations: `500ms`, `5s`, `1m`, `1h30m`, `2d`, `1w`, `1y`.
///
/// Units are `ms`, `s`, `m`, `h`, `d` (24h), `w` (7d) and `y` (365d), each at most once and in
/// descending order; `0` alone means zero. Fractions and negative values are refused, as Prometheus does.
package enum DurationFormat {
    static let units: [(name: String, milliseconds: Int64)] = [
        ("y", 365 * 24 * 3_600_000),
        ("w", 7 * 24 * 3_600_000),
        ("d", 24 * 3_600_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1000),
        ("ms", 1),
    ]

    /// The largest accepted duration, in milliseconds (so that nanoseconds still fit in 64 bits).
    static let maxMilliseconds = Int64.max / 1_000_000

    /// Parses a Prometheus duration such as `1h30m` or `500ms`.
    package static func parse(_ text: String) throws(ValueParseError) -> Duration {
        if text == "0" {
            return .zero
        }
        if text.isEmpty {
            throw ValueParseError("empty duration")
        }
        let unitList = "ms, s, m, h, d, w, y"
        var total: Int64 = 0
        var lastUnitIndex = -1
        var rest = Substring(text)
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            if digits.isEmpty {
                if rest.first == "-" {
                    throw ValueParseError("duration \"\(text)\" must not be negative")
                }
                throw ValueParseError("\"\(text)\" is not a duration (expected e.g. 500ms, 5s, 1m30s)")
            }
            rest = rest.dropFirst(digits.count)
            let unit = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(unit.count)
            if unit.isEmpty {
                if rest.first == "." {
                    throw ValueParseError("duration \"\(text)\" must not have a fraction (write e.g. 1s500ms)")
                }
                if rest.isEmpty && lastUnitIndex < 0 {
                    throw ValueParseError("duration \"\(text)\" has no unit (write e.g. \(text)s; units: \(unitList))")
                }
                throw ValueParseError("\"\(text)\" is not a duration (expected e.g. 500ms, 5s, 1m30s)")
            }
            guard let unitIndex = units.firstIndex(where: { $0.name == unit }) else {
                throw ValueParseError("unknown unit \"\(unit)\" in duration \"\(text)\" (units: \(unitList))")
            }
            if unitIndex <= lastUnitIndex {
                throw ValueParseError(
                    "units in duration \"\(text)\" must appear once each, largest first (e.g. 1h30m)"
                )
            }
            lastUnitIndex = unitIndex
            guard let count = Int64(digits) else {
                throw ValueParseError("duration \"\(text)\" is too large")
            }
            let (product, overflow1) = count.multipliedReportingOverflow(by: units[unitIndex].milliseconds)
            let (sum, overflow2) = total.addingReportingOverflow(product)
            if overflow1 || overflow2 || sum > maxMilliseconds {
                throw ValueParseError("duration \"\(text)\" is too large")
            }
            total = sum
        }
        return .milliseconds(total)
    }

    /// Formats a duration in the Prometheus form, e.g. `1s500ms`, `1h30m`, `0s`; sub-millisecond parts are dropped.
    package static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        var milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if milliseconds == 0 {
            return "0s"
        }
        var result = ""
        if milliseconds < 0 {
            result = "-"
            milliseconds = -milliseconds
        }
        for unit in units {
            let count = milliseconds / unit.milliseconds
            if count > 0 {
                result += "\(count)\(unit.name)"
                milliseconds -= count * unit.milliseconds
            }
        }
        return result
    }
}

/// Parses a Prometheus duration (`500ms`, `5s`, `1h30m`, `2d`, `1w`, `0`); see ``DurationFormat``.
package func parseDuration(_ s: String) throws(ValueParseError) -> Duration {
    try DurationFormat.parse(s)
}

/// Prints a duration back in Prometheus form: `formatDuration(.milliseconds(1500)) == "1s500ms"`.
package func formatDuration(_ d: Duration) -> String {
    DurationFormat.format(d)
}
