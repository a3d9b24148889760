/// The behaviour of one simulated endpoint: how slow, how often it fails, and how it misbehaves.
package struct EndpointFaults: Sendable, Equatable {
    /// Fixed delay before every response, seconds.
    package var latency: Double
    /// Extra uniformly random delay, 0 up to this many seconds.
    package var jitter: Double
    /// Extra delay of a cache miss (entitlement only), seconds.
    package var missLatency: Double
    /// Share of requests answered with ``errorStatus``, 0...1.
    package var errorRate: Double
    /// Status code of injected errors.
    package var errorStatus: Int
    /// When true, requests are accepted and never answered (until the simulator stops).
    package var hang: Bool
    /// When set, successful responses carry a body of this many bytes.
    package var bodyBytes: Int?

    /// Creates endpoint behaviour; the defaults give a healthy, fast endpoint.
    package init(
        latency: Double = 0.002,
        jitter: Double = 0.006,
        missLatency: Double = 0.015,
        errorRate: Double = 0,
        errorStatus: Int = 500,
        hang: Bool = false,
        bodyBytes: Int? = nil
    ) {
        self.latency = latency
        self.jitter = jitter
        self.missLatency = missLatency
        self.errorRate = errorRate
        self.errorStatus = errorStatus
        self.hang = hang
        self.bodyBytes = bodyBytes
    }
}

/// The simulated endpoints, by the names probes and the faults API use.
package enum SimulatedEndpoint: String, Sendable, CaseIterable {
    /// `GET /api/v1/entitlements`
    case entitlement
    /// `POST /api/v1/checkout/create`
    case checkout
    /// `POST /api/v1/webhooks/stripe`
    case webhook
}
