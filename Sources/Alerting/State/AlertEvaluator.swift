import Config
import RollingWindows

/// The alert state machine: runs every rule on every probe once per evaluation and moves each alert through
/// `inactive → pending → firing → resolved`, exactly as Prometheus does with `for` and `keep_firing_for`.
///
/// - A breaching condition creates a pending alert (`activeAt` = now); it fires once it has been pending for the
///   rule's `for` (at once with `for: 0`). A pending alert whose condition clears is dropped without notice.
/// - A firing alert whose condition clears resolves (`resolvedAt` = now), unless it cleared less than
///   `keep_firing_for` ago. With a clear threshold the condition of a firing alert is judged against it instead.
/// - Below a rule's minimum samples the verdict is *no data*: nothing changes state, a pending alert's `for`
///   clock stands still, and `/api/v1/alerts` shows `nodata`.
/// - Resolved alerts are kept (and handed to receivers) for ``resolvedRetention`` so a missed resolve is re-sent.
///
/// The evaluator is a value type with time passed in, so tests drive it step by step; ``AlertEngine`` wraps it.
package struct AlertEvaluator: Sendable {
    /// The rules, in evaluation order.
    package var rules: [AlertRule]
    /// Labels added to every alert; never instance-specific.
    package var staticLabels: [String: String]
    /// Base of every alert's `generatorURL`; empty for none.
    package var externalURL: String
    /// How long resolved alerts are kept and re-sent, in seconds.
    package var resolvedRetention: Double
    /// Probes that should report; one missing from an evaluation counts as having no data at all.
    package var expectedProbes: Set<String>
    /// How long the dead-letter alert keeps firing after the last dead letter of a receiver.
    package var deadLetterAlertFor: Double

    var alerts: [Fingerprint: ActiveAlert] = [:]
    var noDataPairs: [Fingerprint: AlertStateSnapshot] = [:]
    /// (rule, probe) pairs judged at the last evaluation whose condition does not hold and that have no alert.
    var inactivePairs: [Fingerprint: AlertStateSnapshot] = [:]
    var missingSince: [String: Double] = [:]

    /// Creates an evaluator.
    package init(
        rules: [AlertRule],
        staticLabels: [String: String] = [:],
        externalURL: String = "",
        resolvedRetention: Double = 900,
        expectedProbes: Set<String> = [],
        deadLetterAlertFor: Double = 3600
    ) {
        self.rules = rules
        self.staticLabels = staticLabels
        self.externalURL = externalURL
        self.resolvedRetention = resolvedRetention
        self.expectedProbes = expectedProbes
        self.deadLetterAlertFor = deadLetterAlertFor
    }

    /// Creates an evaluator from a configuration.
    package init(config: AlertingConfig, expectedProbes: Set<String> = []) {
        self.init(
            rules: config.effectiveRules(),
            staticLabels: config.staticLabels,
            externalURL: config.externalURL,
            resolvedRetention: config.resolvedRetention,
            expectedProbes: expectedProbes,
            deadLetterAlertFor: config.deadLetterAlertFor
        )
    }

    /// Runs one evaluation at `now` (Unix seconds) and returns the alerts to hand to receivers: every firing alert
    /// and every alert resolved within ``resolvedRetention``.
    ///
    /// - Parameter deadLetters: per receiver name, when its last notification was dead-lettered; raises
    ///   `SlaprobeNotificationsDeadLettered` for ``deadLetterAlertFor`` after that.
    package mutating func evaluate(
        _ snapshots: [ProbeSnapshot],
        now: Double,
        deadLetters: [String: Double] = [:]
    ) -> [OutgoingAlert] {
        var probes: [String: ProbeSnapshot] = [:]
        for snapshot in snapshots { probes[snapshot.probe] = snapshot }
        var missing = Set<String>()
        for name in expectedProbes where probes[name] == nil {
            // A stand-in without results or windows: only no-data rules and resolving read it.
            probes[name] = ProbeSnapshot(probe: name, secondsSinceLastResult: nil)
            missing.insert(name)
        }
        for (name, snapshot) in probes {
            if snapshot.secondsSinceLastResult == nil {
                missingSince[name] = missingSince[name] ?? now
            } else {
                missingSince[name] = nil
            }
        }
        for name in missingSince.keys where probes[name] == nil { missingSince[name] = nil }

        noDataPairs = [:]
        inactivePairs = [:]
        var seen = Set<Fingerprint>()
        for rule in rules {
            for name in probes.keys.sorted() {
                let probe = probes[name]!
                let labels = alertLabels(rule: rule, probe: name)
                let fingerprint = Fingerprint(labels: labels)
                let verdict: RuleVerdict
                if rule.kind == .noData {
                    verdict = rule.verdict(for: probe, missingFor: missingSince[name].map { now - $0 })
                    seen.insert(fingerprint)
                    // Silent means longer than the rule's limit and three of the probe's own intervals.
                    let limit = max(rule.threshold, 3 * probe.config.interval.inSeconds)
                    let breaching: Bool? = {
                        guard case .measured(let values, _) = verdict else { return nil }
                        return values.allSatisfy { $0 > limit }
                    }()
                    step(
                        fingerprint,
                        rule: rule,
                        probe: name,
                        labels: labels,
                        verdict: verdict,
                        now: now,
                        breachingOverride: breaching
                    )
                    continue
                } else if missing.contains(name) {
                    guard alerts[fingerprint] != nil else { continue }
                    verdict = .noData(reason: "probe \(name) reported no snapshot")
                } else if rule.applies(to: probe) {
                    verdict = rule.verdict(for: probe)
                    for (stepName, stepVerdict) in rule.stepVerdicts(for: probe) {
                        let stepLabels = labels.merging(["step": stepName]) { $1 }
                        let print = Fingerprint(labels: stepLabels)
                        seen.insert(print)
                        step(print, rule: rule, probe: name, labels: stepLabels, verdict: stepVerdict, now: now)
                    }
                } else {
                    continue
                }
                seen.insert(fingerprint)
                step(fingerprint, rule: rule, probe: name, labels: labels, verdict: verdict, now: now)
            }
        }
        for (receiver, lastDeadLetter) in deadLetters {
            var labels = staticLabels
            labels["alertname"] = AlertRule.deadLetterAlertName
            labels["receiver"] = receiver
            labels["severity"] = AlertSeverity.ticket.rawValue
            let rule = AlertRule(
                name: AlertRule.deadLetterAlertName,
                kind: .noData,
                severity: .ticket,
                windows: [],
                threshold: 1,
                annotations: [
                    "summary": "Notifications to receiver {receiver} were dead-lettered",
                    "description":
                        "slaprobe gave up delivering at least one notification to receiver {receiver} in the last "
                        + "{window}; see the log and the outbox's dead-letter directory.",
                    "runbook_url":
                        "\(AlertingConfig.defaultRunbookBaseURL)#\(AlertRule.deadLetterAlertName.lowercased())",
                ]
            )
            let age = now - lastDeadLetter
            let evidence = ["window": EvidenceFormat.duration(deadLetterAlertFor), "value": EvidenceFormat.number(age)]
            let breaching = age < deadLetterAlertFor
            let fingerprint = Fingerprint(labels: labels)
            seen.insert(fingerprint)
            step(
                fingerprint,
                rule: rule,
                probe: "",
                labels: labels,
                verdict: .measured(values: [breaching ? 1 : 0], evidence: evidence),
                now: now,
                breachingOverride: breaching
            )
        }

        for (fingerprint, alert) in alerts where !seen.contains(fingerprint) {
            switch alert.state {
            case .pending:
                alerts[fingerprint] = nil
            case .firing:
                var resolved = alert
                resolved.state = .resolved
                resolved.resolvedAt = now
                resolved.noData = false
                alerts[fingerprint] = resolved
            default:
                break
            }
        }
        for (fingerprint, alert) in alerts where alert.state == .resolved {
            if let resolvedAt = alert.resolvedAt, now - resolvedAt > resolvedRetention { alerts[fingerprint] = nil }
        }
        return outgoing()
    }

    /// The alerts receivers should know about now: firing ones and those resolved within the retention.
    package func outgoing() -> [OutgoingAlert] {
        alerts.values.compactMap { alert -> OutgoingAlert? in
            switch alert.state {
            case .firing:
                return OutgoingAlert(
                    labels: alert.labels,
                    annotations: alert.annotations,
                    status: .firing,
                    startsAt: alert.firedAt ?? alert.activeAt,
                    endsAt: nil,
                    generatorURL: generatorURL(alert)
                )
            case .resolved:
                return OutgoingAlert(
                    labels: alert.labels,
                    annotations: alert.annotations,
                    status: .resolved,
                    startsAt: alert.firedAt ?? alert.activeAt,
                    endsAt: alert.resolvedAt,
                    generatorURL: generatorURL(alert)
                )
            default:
                return nil
            }
        }
        .sorted { ($0.startsAt, $0.fingerprint) < ($1.startsAt, $1.fingerprint) }
    }

    /// The state to persist.
    var persistentState: EvaluatorState {
        EvaluatorState(alerts: alerts.values.sorted { $0.activeAt < $1.activeAt }, missingSince: missingSince)
    }

    /// Restores persisted state, keeping only alerts whose rule still exists.
    mutating func restore(_ state: EvaluatorState) {
        let ruleNames = Set(rules.map(\.name)).union([AlertRule.deadLetterAlertName])
        alerts = [:]
        for alert in state.alerts where ruleNames.contains(alert.rule) { alerts[alert.fingerprint] = alert }
        missingSince = state.missingSince
    }

    private func alertLabels(rule: AlertRule, probe: String) -> [String: String] {
        var labels = staticLabels
        for (name, value) in rule.labels { labels[name] = value }
        labels["alertname"] = rule.name
        labels["probe"] = probe
        labels["severity"] = rule.severity.rawValue
        return labels.filter { !$0.value.isEmpty }
    }

    private func generatorURL(_ alert: ActiveAlert) -> String {
        guard !externalURL.isEmpty else { return "" }
        let base = externalURL.hasSuffix("/") ? String(externalURL.dropLast()) : externalURL
        return "\(base)/api/v1/alerts?fingerprint=\(alert.fingerprint)"
    }

    private mutating func step(
        _ fingerprint: Fingerprint,
        rule: AlertRule,
        probe: String,
        labels: [String: String],
        verdict: RuleVerdict,
        now: Double,
        breachingOverride: Bool? = nil
    ) {
        let existing = alerts[fingerprint]
        switch verdict {
        case .noData(let reason):
            if var alert = existing, alert.state == .pending || alert.state == .firing {
                if alert.state == .pending { alert.frozenFor += max(0, now - alert.lastEvaluatedAt) }
                alert.noData = true
                alert.noDataReason = reason
                alert.lastEvaluatedAt = now
                alerts[fingerprint] = alert
            } else {
                noDataPairs[fingerprint] = AlertStateSnapshot(
                    alertname: rule.name,
                    probe: probe,
                    state: .nodata,
                    labels: labels,
                    noDataReason: reason
                )
            }
        case .measured(let values, let evidence):
            let firing = existing?.state == .firing
            let breaching = breachingOverride ?? rule.isBreaching(values, firing: firing)
            if breaching {
                var alert: ActiveAlert
                if let existing, existing.state != .resolved {
                    alert = existing
                } else {
                    alert = ActiveAlert(
                        rule: rule.name,
                        probe: probe,
                        labels: labels,
                        annotations: [:],
                        state: .pending,
                        activeAt: now,
                        lastEvaluatedAt: now
                    )
                }
                alert.labels = labels
                alert.annotations = annotations(rule: rule, labels: labels, evidence: evidence)
                alert.noData = false
                alert.noDataReason = nil
                alert.keepFiringSince = nil
                alert.values = values
                alert.lastEvaluatedAt = now
                if alert.state == .pending && now - alert.activeAt - alert.frozenFor >= rule.forDuration {
                    alert.state = .firing
                    alert.firedAt = now
                }
                alerts[fingerprint] = alert
            } else {
                // Listed only while no alert has this fingerprint (a firing one kept, a resolved one retained).
                inactivePairs[fingerprint] = AlertStateSnapshot(
                    alertname: rule.name,
                    probe: probe,
                    state: .inactive,
                    labels: labels,
                    values: values
                )
                guard var alert = existing else { return }
                alert.noData = false
                alert.noDataReason = nil
                alert.values = values
                alert.lastEvaluatedAt = now
                switch alert.state {
                case .pending:
                    alerts[fingerprint] = nil
                    return
                case .firing:
                    if rule.keepFiringFor > 0 {
                        let since = alert.keepFiringSince ?? now
                        alert.keepFiringSince = since
                        if now - since < rule.keepFiringFor {
                            alerts[fingerprint] = alert
                            return
                        }
                    }
                    alert.state = .resolved
                    alert.resolvedAt = now
                    alert.keepFiringSince = nil
                default:
                    break
                }
                alerts[fingerprint] = alert
            }
        }
    }

    private func annotations(rule: AlertRule, labels: [String: String], evidence: [String: String]) -> [String: String]
    {
        var values = evidence
        for (name, value) in labels { values[name] = value }
        var result: [String: String] = [:]
        for (name, value) in evidence where !value.isEmpty { result[name] = value }
        for (name, template) in rule.annotations {
            result[name] = AnnotationTemplate.render(template, values: values)
        }
        return result
    }
}
