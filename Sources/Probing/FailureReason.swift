import HTTPClient

/// Why a probe failed: the fixed set that `slaprobe_probe_failures_total{reason}` uses.
package enum FailureReason: String, Sendable, CaseIterable, Codable {
    /// The transfer did not finish within the probe's timeout.
    case timeout
    /// The target's host name did not resolve.
    case dns
    /// The TCP connection failed or was refused.
    case connect
    /// The TLS handshake or certificate verification failed.
    case tls
    /// The status code was not one the probe expects.
    case httpStatus = "http_status"
    /// The body failed an assertion, or a negative case (forged webhook, replayed checkout) was not refused.
    case assertion
    /// The response was larger than the probe's `max_body_bytes`.
    case bodyTooLarge = "body_too_large"
    /// Anything else: a malformed response, a reset connection.
    case other

    /// The reason a failed transfer counts as.
    package init(_ kind: TransferErrorKind) {
        switch kind {
        case .timeout: self = .timeout
        case .dns: self = .dns
        case .connect: self = .connect
        case .tls: self = .tls
        case .bodyTooLarge: self = .bodyTooLarge
        case .cancelled, .other: self = .other
        }
    }
}
