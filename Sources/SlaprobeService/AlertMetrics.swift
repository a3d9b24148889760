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
    }
}
