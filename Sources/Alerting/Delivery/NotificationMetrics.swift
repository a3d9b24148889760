/// Delivery counters of one receiver, for the service to render as
/// `slaprobe_notifications_total{receiver,result="sent"|"failed"}`, `slaprobe_notification_queue_length{receiver}`
/// and `slaprobe_notification_dead_letters_total{receiver}`.
package struct NotificationMetrics: Sendable, Equatable {
    /// The receiver's name.
    package var receiver: String
    /// Notifications delivered.
    package var sent: Int
    /// Failed delivery attempts (each retry counts).
    package var failed: Int
    /// Notifications waiting in the outbox.
    package var queueLength: Int
    /// Notifications given up on.
    package var deadLetters: Int

    /// Creates a row.
    package init(receiver: String, sent: Int, failed: Int, queueLength: Int, deadLetters: Int) {
        self.receiver = receiver
        self.sent = sent
        self.failed = failed
        self.queueLength = queueLength
        self.deadLetters = deadLetters
    }
}
