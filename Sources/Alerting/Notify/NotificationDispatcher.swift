import Config
import FoundationEssentials

/// Decides, for one receiver, when which alerts are notified, and builds the bodies.
///
/// Webhook receivers follow Alertmanager's dispatcher: alerts are grouped by the grouping labels; a new group
/// waits `group_wait`, then is looked at every `group_interval`, and is notified when its set of firing alerts
/// grew, when everything resolved, when resolved alerts are new (with `send_resolved`), or when `repeat_interval`
/// has passed since the last notification (the same rules as Alertmanager's dedup stage and notification log).
///
/// Alertmanager receivers follow Prometheus' notifier: after each evaluation every firing alert not sent within
/// the resend delay, and every resolve not yet sent, is pushed, firing ones with
/// `endsAt = now + 4 × max(evaluation interval, resend delay)`.
///
/// The state is a value that is persisted with the alert state, so a restart neither pages again nor loses a
/// resolve.
package struct NotificationDispatcher: Sendable, Equatable, Codable {
    /// The timing a dispatcher works with; not persisted, so a configuration change applies at once.
    package struct Policy: Sendable, Equatable {
        /// The receiver.
        package var receiver: ReceiverConfig
        /// Grouping and timing for webhook receivers.
        package var grouping: GroupingConfig
        /// Seconds between evaluations.
        package var evaluationInterval: Double
        /// Re-send interval for Alertmanager receivers.
        package var resendDelay: Double
        /// The payload's `externalURL`.
        package var externalURL: String

        /// Creates a policy.
        package init(
            receiver: ReceiverConfig,
            grouping: GroupingConfig = GroupingConfig(),
            evaluationInterval: Double = 15,
            resendDelay: Double = 60,
            externalURL: String = ""
        ) {
            self.receiver = receiver
            self.grouping = grouping
            self.evaluationInterval = evaluationInterval
            self.resendDelay = resendDelay
            self.externalURL = externalURL
        }
    }

    struct Group: Sendable, Equatable, Codable {
        var labels: [String: String]
        var alerts: [String: OutgoingAlert]
        var nextFlushAt: Double
    }

    /// What the last notification of a group contained (Alertmanager's notification log entry).
    struct LogEntry: Sendable, Equatable, Codable {
        var firing: Set<String>
        var resolved: Set<String>
        var at: Double
    }

    var groups: [String: Group] = [:]
    var log: [String: LogEntry] = [:]
    /// Alertmanager receivers: when each alert was last pushed.
    var lastSentAt: [String: Double] = [:]

    /// Creates an empty dispatcher.
    package init() {}

    /// Takes the alerts of an evaluation. Alertmanager receivers return their push at once; webhook receivers
    /// return notifications only from ``flush(now:policy:)``.
    ///
    /// - Parameter muted: fingerprints of alerts a silence or maintenance window holds. They are left out as if
    ///   they were not there, but not taken for resolved: a held alert neither notifies nor resolves, and one
    ///   still firing when it is released notifies then.
    package mutating func receive(
        _ alerts: [OutgoingAlert],
        muted: Set<String> = [],
        now: Double,
        policy: Policy
    ) -> [PreparedNotification] {
        switch policy.receiver.kind {
        case .alertmanager:
            return push(alerts, muted: muted, now: now, policy: policy)
        case .webhook:
            for key in groups.keys {
                for fingerprint in muted { groups[key]?.alerts[fingerprint] = nil }
            }
            for alert in alerts where !muted.contains(alert.fingerprint) {
                let labels = policy.grouping.groupBy.reduce(into: [String: String]()) { result, name in
                    if let value = alert.labels[name], !value.isEmpty { result[name] = value }
                }
                let key = WebhookPayload.groupKey(groupLabels: labels)
                var group =
                    groups[key] ?? Group(labels: labels, alerts: [:], nextFlushAt: now + policy.grouping.groupWait)
                // A resolve the group has already dealt with is not taken in again.
                if alert.status == .resolved, group.alerts[alert.fingerprint] == nil,
                    log[key].map({ !$0.firing.contains(alert.fingerprint) }) ?? true
                {
                    continue
                }
                group.alerts[alert.fingerprint] = alert
                groups[key] = group
            }
            // A firing alert that has vanished from the evaluation without a resolve is treated as resolved now.
            let current = Set(alerts.map(\.fingerprint)).subtracting(muted)
            for (key, group) in groups {
                for (fingerprint, alert) in group.alerts where alert.status == .firing && !current.contains(fingerprint)
                {
                    var resolved = alert
                    resolved.status = .resolved
                    resolved.endsAt = now
                    groups[key]?.alerts[fingerprint] = resolved
                }
            }
            return []
        }
    }

    /// Records a notification that is already in the outbox (handed off just before a crash, before the state
    /// that would remember it was saved), so that it is not prepared a second time after the restart.
    package mutating func acknowledgeQueued(groupKey: String, status: String, fingerprints: [String], at: Double) {
        if let existing = log[groupKey], existing.at >= at { return }
        let alerts = Set(fingerprints)
        log[groupKey] = LogEntry(
            firing: status == "firing" ? alerts : [],
            resolved: status == "resolved" ? alerts : [],
            at: at
        )
    }

    /// Flushes every webhook group that is due at `now`.
    package mutating func flush(now: Double, policy: Policy) -> [PreparedNotification] {
        guard policy.receiver.kind == .webhook else { return [] }
        var notifications: [PreparedNotification] = []
        for key in groups.keys.sorted() {
            guard var group = groups[key], group.nextFlushAt <= now else { continue }
            let alerts = group.alerts.values.sorted { ($0.startsAt, $0.fingerprint) < ($1.startsAt, $1.fingerprint) }
            let firing = Set(alerts.filter { $0.status == .firing }.map(\.fingerprint))
            let resolved = Set(alerts.filter { $0.status == .resolved }.map(\.fingerprint))
            if needsUpdate(log[key], firing: firing, resolved: resolved, now: now, policy: policy) {
                let included = policy.receiver.sendResolved ? alerts : alerts.filter { $0.status == .firing }
                if !included.isEmpty {
                    let payload = WebhookPayload(
                        receiver: policy.receiver.name,
                        groupKey: key,
                        groupLabels: group.labels,
                        alerts: included,
                        externalURL: policy.externalURL,
                        maxAlerts: policy.receiver.maxAlerts
                    )
                    notifications.append(
                        PreparedNotification(
                            receiver: policy.receiver.name,
                            groupKey: key,
                            status: payload.status,
                            fingerprints: included.map(\.fingerprint),
                            body: Self.encode(payload)
                        )
                    )
                }
                log[key] = LogEntry(firing: firing, resolved: resolved, at: now)
            }
            for fingerprint in resolved { group.alerts[fingerprint] = nil }
            if group.alerts.isEmpty {
                groups[key] = nil
                if firing.isEmpty { log[key] = log[key].map { LogEntry(firing: [], resolved: $0.resolved, at: $0.at) } }
            } else {
                group.nextFlushAt = now + policy.grouping.groupInterval
                groups[key] = group
            }
        }
        return notifications
    }

    /// The earliest time a webhook group is due, if any.
    package var nextFlushAt: Double? { groups.values.map(\.nextFlushAt).min() }

    /// Alertmanager's `DedupStage.needsUpdate`.
    private func needsUpdate(
        _ entry: LogEntry?,
        firing: Set<String>,
        resolved: Set<String>,
        now: Double,
        policy: Policy
    ) -> Bool {
        guard let entry else { return !firing.isEmpty }
        if !firing.isSubset(of: entry.firing) { return true }
        if firing.isEmpty { return !entry.firing.isEmpty }
        if policy.receiver.sendResolved && !resolved.isSubset(of: entry.resolved) { return true }
        return entry.at < now - policy.grouping.repeatInterval
    }

    private mutating func push(
        _ alerts: [OutgoingAlert],
        muted: Set<String>,
        now: Double,
        policy: Policy
    ) -> [PreparedNotification] {
        let validUntil = now + 4 * max(policy.evaluationInterval, policy.resendDelay)
        var due: [AlertmanagerAlert] = []
        var fingerprints: [String] = []
        for alert in alerts where !muted.contains(alert.fingerprint) {
            // A resolve whose firing was never pushed (a silence held it throughout) is not pushed alone.
            if alert.status == .resolved, lastSentAt[alert.fingerprint] == nil { continue }
            let last = lastSentAt[alert.fingerprint]
            let needsSending: Bool
            if alert.status == .resolved, let endsAt = alert.endsAt, last.map({ endsAt > $0 }) ?? true {
                needsSending = true
            } else if let last {
                needsSending = last + policy.resendDelay <= now
            } else {
                needsSending = true
            }
            guard needsSending else { continue }
            due.append(AlertmanagerAlert(alert, validUntil: validUntil))
            fingerprints.append(alert.fingerprint)
            lastSentAt[alert.fingerprint] = now
        }
        let current = Set(alerts.map(\.fingerprint))
        lastSentAt = lastSentAt.filter { current.contains($0.key) }
        guard !due.isEmpty else { return [] }
        return [
            PreparedNotification(
                receiver: policy.receiver.name,
                groupKey: "alertmanager",
                status: alerts.contains { $0.status == .firing } ? "firing" : "resolved",
                fingerprints: fingerprints,
                body: Self.encode(due)
            )
        ]
    }

    static func encode<Value: Encodable>(_ value: Value) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(value)) ?? Data("{}".utf8))
    }
}
