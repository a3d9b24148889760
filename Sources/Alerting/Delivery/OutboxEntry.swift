/// One notification waiting in the outbox, exactly as stored in its file.
public struct OutboxEntry: Sendable, Equatable, Codable {
    /// The notification id: the `webhook-id` header, the same on every attempt and after restarts.
    public var id: String
    /// The receiver's name.
    public var receiver: String
    /// Position in the outbox; lower is older.
    public var sequence: UInt64
    /// When it was created, Unix seconds.
    public var createdAt: Double
    /// The webhook group key, or `alertmanager`.
    public var groupKey: String
    /// `firing` or `resolved`.
    public var status: String
    /// Fingerprints of the alerts it carries.
    public var fingerprints: [String]
    /// The JSON body, sent as is.
    public var body: String
    /// Attempts made so far.
    public var attempts: Int
    /// Not to be tried again before this time, Unix seconds.
    public var nextAttemptAt: Double
    /// The last failure, already redacted.
    public var lastError: String?

    /// The file name: sequence then id, so a directory listing is in age order.
    var fileName: String {
        let digits = String(sequence)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + "-" + id + ".json"
    }
}
