/// One notification waiting in the outbox, exactly as stored in its file.
package struct OutboxEntry: Sendable, Equatable, Codable {
    /// The notification id: the `webhook-id` header, the same on every attempt and after restarts.
    package var id: String
    /// The receiver's name.
    package var receiver: String
    /// Position in the outbox; lower is older.
    package var sequence: UInt64
    /// When it was created, Unix seconds.
    package var createdAt: Double
    /// The webhook group key, or `alertmanager`.
    package var groupKey: String
    /// `firing` or `resolved`.
    package var status: String
    /// Fingerprints of the alerts it carries.
    package var fingerprints: [String]
    /// The JSON body, sent as is.
    package var body: String
    /// Attempts made so far.
    package var attempts: Int
    /// Not to be tried again before this time, Unix seconds.
    package var nextAttemptAt: Double
    /// The last failure, already redacted.
    package var lastError: String?

    /// The file name: sequence then id, so a directory listing is in age order.
    var fileName: String {
        let digits = String(sequence)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + "-" + id + ".json"
    }
}
