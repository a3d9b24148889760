import Alerting
import Exposition

/// The evaluator's and the notifier's families on `/metrics`.
enum AlertMetrics {
    static func write(_ engine: AlertEngine, into w: inout ExpositionWriter) {
        w.family(
            "slaprobe_alerts",
            type: .gauge,
            help: "Active alerts of the built-in evaluator, like Prometheus's ALERTS."
        )
        for row in engine.alertGaugeRows() {
            w.gauge(
                "slaprobe_alerts",
                LabelSet([("alertname", row.alertname), ("probe", row.probe), ("alertstate", row.alertstate)]),
                1
            )
        }
        let receivers = engine.notificationMetrics()
        w.family(
            "slaprobe_notifications",
            type: .counter,
            help: "Notification delivery attempts by receiver and result."
        )
        for r in receivers {
            w.counter(
                "slaprobe_notifications",
                LabelSet([("receiver", r.receiver), ("result", "sent")]),
                Double(r.sent)
            )
            w.counter(
                "slaprobe_notifications",
                LabelSet([("receiver", r.receiver), ("result", "failed")]),
                Double(r.failed)
            )
        }
        w.family("slaprobe_notification_queue_length", type: .gauge, help: "Notifications waiting in the outbox.")
        for r in receivers {
            w.gauge("slaprobe_notification_queue_length", LabelSet([("receiver", r.receiver)]), Double(r.queueLength))
        }
        w.family(
            "slaprobe_notification_dead_letters",
            type: .counter,
            help: "Notifications given up after the retry budget or refused with a 4xx."
        )
        for r in receivers {
            w.counter("slaprobe_notification_dead_letters", LabelSet([("receiver", r.receiver)]), Double(r.deadLetters))
        }
        w.family(
            "slaprobe_notifications_suppressed",
            type: .counter,
            help: "Alert notifications withheld because a silence or maintenance window held the alert."
        )
        for (receiver, count) in engine.suppressedNotifications() {
            w.counter("slaprobe_notifications_suppressed", LabelSet([("receiver", receiver)]), Double(count))
        }
        w.family("slaprobe_silences", type: .gauge, help: "Silences by state (expired ones are kept for 5 days).")
        let counts = engine.silences.counts(at: engine.clock())
        for state in SilenceState.allCases {
            w.gauge("slaprobe_silences", LabelSet([("state", state.rawValue)]), Double(counts[state] ?? 0))
        }
    }
}
