/// A notification ready for the outbox: its receiver, body and what it is about (for logs).
public struct PreparedNotification: Sendable, Equatable {
    /// The receiver's name.
    public var receiver: String
    /// The webhook group key, or `alertmanager` for a push.
    public var groupKey: String
    /// `firing` or `resolved`.
    public var status: String
    /// The alerts it carries, by fingerprint.
    public var fingerprints: [String]
    /// The JSON body.
    public var body: [UInt8]
}
