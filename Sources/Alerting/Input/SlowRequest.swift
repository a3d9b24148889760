/// One of the slowest requests in a window: the evidence behind a latency alert.
public struct SlowRequest: Sendable, Equatable, Codable {
    /// The `X-Request-ID` the probe sent.
    public var requestID: String
    /// Its total latency, in seconds.
    public var latency: Double

    /// Creates an entry.
    public init(requestID: String, latency: Double) {
        self.requestID = requestID
        self.latency = latency
    }
}
