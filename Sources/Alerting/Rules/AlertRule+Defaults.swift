extension AlertRule {
    /// The rules slaprobe runs with no configuration: latency, cache hit ratio (entitlement probes, or any probe
    /// with cache lookups), error ratio on 5m and 1h, and no data.
    ///
    /// Latency thresholds come from each probe (its windows' ``WindowStats/threshold``), so one rule
    /// serves every probe. The no-data limit is 3 × the evaluation interval or 1m, whichever is larger.
    package static func defaultRules(
        evaluationInterval: Double = 15,
        window: Double = 300,
        longWindow: Double = 3600,
        runbookBaseURL: String = AlertingConfig.defaultRunbookBaseURL
    ) -> [AlertRule] {
        let rules = [
            AlertRule(
                name: "SlaprobeLatencyHigh",
                kind: .latency,
                severity: .page,
                windows: [window],
                threshold: 0.05,
                minSamples: 20,
                forDuration: 60,
                annotations: standardAnnotations(
                    summary: "p95 latency of probe {probe} is {p95}s, above its {threshold}s SLA",
                    description:
                        "Over the last {window}, {slow_ratio} of {samples} requests of probe {probe} were slower than "
                        + "{threshold}s (p50 {p50}s, p95 {p95}s, p99 {p99}s). Slowest X-Request-IDs: {request_ids}.",
                    runbookBaseURL: runbookBaseURL
                )
            ),
            AlertRule(
                name: "SlaprobeCacheHitRatioLow",
                kind: .cacheHitRatio,
                severity: .ticket,
                probeKinds: ["entitlement"],
                windows: [window],
                threshold: 0.70,
                minSamples: 50,
                forDuration: 300,
                annotations: standardAnnotations(
                    summary: "Cache hit ratio of probe {probe} is {ratio}, below {threshold}",
                    description:
                        "Over the last {window}, {cache_hits} of {samples} entitlement cache lookups seen by probe "
                        + "{probe} were hits ({ratio}); the SLA wants more than 0.8 and this alert fires below {threshold}.",
                    runbookBaseURL: runbookBaseURL
                )
            ),
            AlertRule(
                name: "SlaprobeErrorRatioHigh",
                kind: .errorRatio,
                severity: .page,
                windows: [window, longWindow],
                threshold: 0.01,
                minSamples: 100,
                annotations: standardAnnotations(
                    summary: "Error ratio of probe {probe} is {value}, above {threshold}",
                    description:
                        "Probe {probe} failed on a ratio of {ratio} of {samples} requests over {window}, above "
                        + "{threshold} on every window. Failing X-Request-IDs: {request_ids} ({failure_reasons}).",
                    runbookBaseURL: runbookBaseURL
                )
            ),
            AlertRule(
                name: "SlaprobeNoData",
                kind: .noData,
                severity: .ticket,
                windows: [],
                threshold: max(3 * evaluationInterval, 60),
                annotations: standardAnnotations(
                    summary: "Probe {probe} has produced no result for more than {threshold}",
                    description:
                        "No result from probe {probe} for more than {threshold} (last sample: {last_sample}); "
                        + "its SLA alerts cannot fire while it is silent.",
                    runbookBaseURL: runbookBaseURL
                )
            ),
        ]
        return rules.map { $0.withRunbookAnchor(base: runbookBaseURL) }
    }

    /// Opt-in error-budget burn-rate rules for an availability objective (0.999 for 99.9 %), as in the SRE
    /// workbook: burn 14.4× over 1h and 5m pages, burn 6× over 6h and 30m opens a ticket.
    package static func burnRateRules(
        objective: Double,
        runbookBaseURL: String = AlertingConfig.defaultRunbookBaseURL
    ) -> [AlertRule] {
        let budget = 1 - objective
        let annotations = standardAnnotations(
            summary: "Probe {probe} is burning its {objective} error budget fast",
            description:
                "Error ratio {ratio} over {window} ({samples} requests) is above {threshold} on every window, "
                + "burning the error budget of a {objective} availability objective. "
                + "Failing X-Request-IDs: {request_ids}.",
            runbookBaseURL: runbookBaseURL,
            anchor: "SlaprobeErrorBudgetBurn"
        )
        let rules = [
            AlertRule(
                name: "SlaprobeErrorBudgetBurn",
                kind: .burnRate,
                severity: .page,
                windows: [300, 3600],
                threshold: 14.4 * budget,
                minSamples: 100,
                annotations: annotations,
                objective: objective
            ),
            AlertRule(
                name: "SlaprobeErrorBudgetBurn",
                kind: .burnRate,
                severity: .ticket,
                windows: [1800, 21_600],
                threshold: 6 * budget,
                minSamples: 100,
                annotations: annotations,
                objective: objective
            ),
        ]
        return rules.map { $0.withRunbookAnchor(base: runbookBaseURL) }
    }

    /// The internal alert raised when a notification was dead-lettered; it carries a `receiver` label.
    package static let deadLetterAlertName = "SlaprobeNotificationsDeadLettered"

    static func standardAnnotations(
        summary: String,
        description: String,
        runbookBaseURL: String,
        anchor: String = "{alertname}"
    ) -> [String: String] {
        ["summary": summary, "description": description, "runbook_url": "\(runbookBaseURL)#\(anchor)"]
    }

    /// Points `runbook_url` at the rule's own section: docs/operations.md anchors are the lowercased alert names.
    func withRunbookAnchor(base: String) -> AlertRule {
        var rule = self
        rule.annotations["runbook_url"] = "\(base)#\(name.lowercased())"
        return rule
    }
}
