/// Where and how many notifications wait for delivery.
package struct OutboxConfig: Sendable, Equatable {
    /// Directory of the outbox: `pending/` holds one file per notification, `dead/` the dead letters.
    package var directory: String
    /// Most pending notifications per receiver; past it the oldest is dead-lettered (and logged).
    package var maxEntriesPerReceiver: Int
    /// Most files kept in `dead/`; older ones are removed (they were counted and logged when they died).
    package var maxDeadLetterFiles: Int

    /// Creates an outbox configuration.
    package init(directory: String = "data/outbox", maxEntriesPerReceiver: Int = 1000, maxDeadLetterFiles: Int = 1000) {
        self.directory = directory
        self.maxEntriesPerReceiver = maxEntriesPerReceiver
        self.maxDeadLetterFiles = maxDeadLetterFiles
    }
}
