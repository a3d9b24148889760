import Config
import FoundationEssentials
import JSON

/// The result of `slaprobe gate`: every judged check, how long the gate ran and how often each probe ran; renders
/// the table, the JSON report and (in ``GateReport/junit(timestamp:)``) the JUnit XML.
package struct GateReport: Sendable {
    /// The outcome of the whole gate, and its exit code.
    package enum Outcome: String, Sendable {
        /// Every rule holds: exit 0.
        case passed
        /// At least one rule is broken: exit 1 (even when others had too few samples).
        case failed
        /// No rule is broken but at least one had too few samples to judge, or there was nothing to judge: exit 2.
        case insufficientData = "insufficient_data"

        /// The process exit code.
        package var exitCode: Int32 {
            switch self {
            case .passed: 0
            case .failed: 1
            case .insufficientData: 2
            }
        }
    }

    /// The checks, in ``GateJudge/checks(rules:snapshots:)`` order.
    package var checks: [GateCheck]
    /// Completed runs per probe, in configuration order.
    package var runs: [(probe: String, runs: Int)]
    /// How long the probes ran, seconds.
    package var durationSeconds: Double

    /// Creates a report.
    package init(checks: [GateCheck], runs: [(probe: String, runs: Int)], durationSeconds: Double) {
        self.checks = checks
        self.runs = runs
        self.durationSeconds = durationSeconds
    }

    /// Failed beats too few samples; nothing judged counts as too few.
    package var outcome: Outcome {
        if checks.contains(where: { $0.verdict == .broken }) { return .failed }
        if checks.isEmpty || checks.contains(where: { $0.verdict == .tooFewSamples }) { return .insufficientData }
        return .passed
    }

    /// The largest number of samples a check without enough of them needs; 0 when none lacks samples.
    package var samplesNeeded: Int {
        checks.filter { $0.verdict == .tooFewSamples }.map(\.minSamples).max() ?? 0
    }

    /// A fixed-width table (rule, probe, step, value, threshold, samples, verdict) and a closing line saying the
    /// outcome; for too few samples that line says how many samples are needed.
    package func table() -> String {
        var rows = [["RULE", "PROBE", "STEP", "VALUE", "THRESHOLD", "SAMPLES", "VERDICT"]]
        for check in checks {
            let value = check.value.map { "\(check.measure) \(GateCheck.format($0, seconds: check.inSeconds))" }
            let verdict: String
            switch check.verdict {
            case .ok: verdict = "ok"
            case .broken: verdict = "BROKEN"
            case .tooFewSamples: verdict = "too few samples (need \(check.minSamples))"
            }
            rows.append([
                check.rule, check.probe, check.step ?? "-", value ?? "\(check.measure) -",
                "\(check.comparison) \(GateCheck.format(check.threshold, seconds: check.inSeconds))",
                String(check.samples), verdict,
            ])
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        let lines = rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padded(to: widths[index])
            }.joined(separator: "  ")
        }
        return lines.joined(separator: "\n") + "\n" + summary() + "\n"
    }

    /// One line: the outcome, the broken checks or what is missing.
    package func summary() -> String {
        let broken = checks.filter { $0.verdict == .broken }
        let short = checks.filter { $0.verdict == .tooFewSamples }
        switch outcome {
        case .passed:
            return "gate passed: all \(checks.count) checks hold"
        case .failed:
            var text =
                "gate failed: \(broken.count) of \(checks.count) checks broken: "
                + broken.map(\.message).joined(separator: "; ")
            if !short.isEmpty { text += " (\(short.count) more had too few samples)" }
            return text
        case .insufficientData:
            guard !checks.isEmpty else { return "gate undecided: no rule applies to any probe, nothing to judge" }
            let fewest = short.map(\.samples).min() ?? 0
            return "gate undecided: too few samples for \(short.count) of \(checks.count) checks: "
                + short.map(\.message).joined(separator: "; ")
                + "; judging every rule needs \(samplesNeeded) samples (the fewest taken were \(fewest)): "
                + "run longer (--duration) or more often (--runs \(samplesNeeded))"
        }
    }

    /// The JSON report (fields documented in the README's "Deploy gate" section).
    package func json() -> String {
        let items = checks.map { check in
            JSONText.object([
                ("rule", .string(check.rule)),
                ("kind", .string(check.kind.rawValue)),
                ("severity", .string(check.severity)),
                ("probe", .string(check.probe)),
                ("step", check.step.map { .string($0) } ?? .raw("null")),
                ("measure", .string(check.measure)),
                ("value", .raw(check.value.map(Self.number) ?? "null")),
                ("threshold", .raw(Self.number(check.threshold))),
                ("comparison", .string(check.comparison)),
                ("unit", .string(check.inSeconds ? "seconds" : "ratio")),
                ("samples", .raw(String(check.samples))),
                ("min_samples", .raw(String(check.minSamples))),
                ("verdict", .string(check.verdict.rawValue)),
                ("message", .string(check.message)),
            ])
        }
        let runsObject = JSONText.object(runs.map { ($0.probe, .raw(String($0.runs))) })
        return JSONText.object([
            ("outcome", .string(outcome.rawValue)),
            ("exit_code", .raw(String(outcome.exitCode))),
            ("duration_seconds", .raw(Self.number(durationSeconds))),
            ("runs", .raw(runsObject)),
            ("samples_needed", .raw(String(samplesNeeded))),
            ("summary", .string(summary())),
            ("checks", .raw("[" + items.joined(separator: ",\n  ") + "]")),
        ]) + "\n"
    }

    /// A JSON number: finite values as Swift prints them, anything else as `null`.
    static func number(_ value: Double) -> String {
        value.isFinite ? String(value) : "null"
    }
}
