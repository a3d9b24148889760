/// How alerts are batched into notifications, with Alertmanager's route semantics.
package struct GroupingConfig: Sendable, Equatable {
    /// Labels that form a group; the default groups by (alertname, probe).
    package var groupBy: [String]
    /// How long a new group waits for more alerts before its first notification, in seconds.
    package var groupWait: Double
    /// How long a group waits before notifying about changes after its last notification.
    package var groupInterval: Double
    /// How long before a still-firing group is notified again.
    package var repeatInterval: Double

    /// Creates a grouping.
    package init(
        groupBy: [String] = ["alertname", "probe"],
        groupWait: Double = 10,
        groupInterval: Double = 300,
        repeatInterval: Double = 14_400
    ) {
        self.groupBy = groupBy
        self.groupWait = groupWait
        self.groupInterval = groupInterval
        self.repeatInterval = repeatInterval
    }
}
