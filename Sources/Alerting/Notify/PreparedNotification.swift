/// A notification ready for the outbox: its receiver, body and what it is about (for logs).
package struct PreparedNotification: Sendable, Equatable {
    /// The receiver's name.
    package var receiver: String
    /// The webhook group key, or `alertmanager` for a push.
    package var groupKey: String
    /// `firing` or `resolved`.
    package var status: String
    /// The alerts it carries, by fingerprint.
    package var fingerprints: [String]
    /// The JSON body.
    package var body: [UInt8]
}
