import Config
import FoundationEssentials

extension GateReport {
    /// The report as JUnit XML, as CI systems read test results: one `<testsuite>` named `slaprobe gate` with one
    /// `<testcase>` per check (class name `slaprobe.gate.<rule>`, name the probe or `<probe> step <step>`); a
    /// broken check has a `<failure>` whose message names the measured value and the threshold, a check with too
    /// few samples is `<skipped>` with a message saying how many were taken and needed.
    package func junit(timestamp: Date = Date()) -> String {
        let failures = checks.filter { $0.verdict == .broken }.count
        let skipped = checks.filter { $0.verdict == .tooFewSamples }.count
        let time = PrintfFormat.string("%.3f", durationSeconds)
        let stamp = RFC3339Timestamp.format(timestamp.timeIntervalSince1970)
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml +=
            "<testsuites name=\"slaprobe gate\" tests=\"\(checks.count)\" failures=\"\(failures)\" "
            + "errors=\"0\" skipped=\"\(skipped)\" time=\"\(time)\">\n"
        xml +=
            "  <testsuite name=\"slaprobe gate\" tests=\"\(checks.count)\" failures=\"\(failures)\" "
            + "errors=\"0\" skipped=\"\(skipped)\" time=\"\(time)\" timestamp=\"\(stamp)\">\n"
        xml += "    <properties>\n"
        xml += "      <property name=\"outcome\" value=\"\(outcome.rawValue)\"/>\n"
        for (probe, count) in runs {
            xml += "      <property name=\"runs.\(Self.escaped(probe))\" value=\"\(count)\"/>\n"
        }
        xml += "    </properties>\n"
        for check in checks {
            let name = Self.escaped(check.subject)
            xml += "    <testcase classname=\"slaprobe.gate.\(Self.escaped(check.rule))\" name=\"\(name)\" time=\"0\""
            let message = Self.escaped(check.message)
            switch check.verdict {
            case .ok:
                xml += "/>\n"
            case .broken:
                xml += ">\n      <failure message=\"\(message)\" type=\"\(Self.escaped(check.rule))\">"
                xml += Self.escaped(details(check)) + "</failure>\n    </testcase>\n"
            case .tooFewSamples:
                xml += ">\n      <skipped message=\"\(message)\"/>\n    </testcase>\n"
            }
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    private func details(_ check: GateCheck) -> String {
        let what = check.kind == .cacheHitRatio ? "cache lookups" : "samples"
        return "\(check.message) (rule \(check.rule), severity \(check.severity), \(check.samples) \(what), "
            + "gate ran \(PrintfFormat.string("%.1f", durationSeconds))s)"
    }

    /// Text escaped for XML attributes and content; characters XML 1.0 cannot carry become U+FFFD.
    static func escaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\n": result += "&#10;"
            case "\t", "\r": result += "&#\(scalar.value);"
            case let c where c.value < 0x20 || c.value == 0xFFFE || c.value == 0xFFFF: result += "\u{FFFD}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
