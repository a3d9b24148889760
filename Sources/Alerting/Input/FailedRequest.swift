/// A recent failing request in a window: the evidence behind an error alert.
public struct FailedRequest: Sendable, Equatable, Codable {
    /// The `X-Request-ID` the probe sent.
    public var requestID: String
    /// The failure reason, one of `timeout`, `dns`, `connect`, `tls`, `http_status`, `assertion`,
    /// `body_too_large`, `other`.
    public var reason: String

    /// Creates an entry.
    public init(requestID: String, reason: String) {
        self.requestID = requestID
        self.reason = reason
    }
}
