/// A recent failing request in a window: the evidence behind an error alert.
package struct FailedRequest: Sendable, Equatable, Codable {
    /// The `X-Request-ID` the probe sent.
    package var requestID: String
    /// The failure reason, one of `timeout`, `dns`, `connect`, `tls`, `http_status`, `assertion`,
    /// `body_too_large`, `other`.
    package var reason: String

    /// Creates an entry.
    package init(requestID: String, reason: String) {
        self.requestID = requestID
        self.reason = reason
    }
}
