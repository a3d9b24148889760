/// Delivery counters of one receiver, for the service to render as
/// `slaprobe_notifications_total{receiver,result="sent"|"failed"}`, `slaprobe_notification_queue_length{receiver}`
/// and `slaprobe_notification_dead_letters_total{receiver}`.
public struct NotificationMetrics: Sendable, Equatable {
    /// The receiver's name.
    public var receiver: String
    /// Notifications delivered.
    public var sent: Int
    /// Failed delivery attempts (each retry counts).
    public var failed: Int
    /// Notifications waiting in the outbox.
    public var queueLength: Int
    /// Notifications given up on.
    public var deadLetters: Int

    /// Creates a row.
    public init(receiver: String, sent: Int, failed: Int, queueLength: Int, deadLetters: Int) {
        self.receiver = receiver
        self.sent = sent
        self.failed = failed
        self.queueLength = queueLength
        self.deadLetters = deadLetters
    }
}
