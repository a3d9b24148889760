/// One of the slowest requests in a window: the evidence behind a latency alert.
package struct SlowRequest: Sendable, Equatable, Codable {
    /// The `X-Request-ID` the probe sent.
    package var requestID: String
    /// Its total latency, in seconds.
    package var latency: Double

    /// Creates an entry.
    package init(requestID: String, latency: Double) {
        self.requestID = requestID
        self.latency = latency
    }
}
