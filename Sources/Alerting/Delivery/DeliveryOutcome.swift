/// What one delivery attempt came to.
enum DeliveryOutcome: Sendable, Equatable {
    /// 2xx: delivered.
    case delivered(status: Int)
    /// Timeout, connection error, 5xx, 408 or 429: try again, after `retryAfter` seconds if the server said so.
    case retry(reason: String, retryAfter: Double?)
    /// Any other answer: retrying cannot help.
    case reject(reason: String)
    /// The transfer loop shut down mid-attempt: try again after the restart, not counted.
    case interrupted

    /// Classifies a transfer result; `redact` removes credentials from libcurl's messages.
    init(status: Int, errorKind: String?, errorMessage: String?, retryAfterHeader: String?, now: Double) {
        if let errorKind {
            if errorKind == "cancelled" {
                self = .interrupted
            } else {
                self = .retry(reason: "\(errorKind): \(errorMessage ?? "")", retryAfter: nil)
            }
            return
        }
        switch status {
        case 200..<300:
            self = .delivered(status: status)
        case 408, 429, 500..<600:
            self = .retry(
                reason: "HTTP \(status)",
                retryAfter: retryAfterHeader.flatMap { RetryAfter.delay($0, now: now) }
            )
        default:
            self = .reject(reason: "HTTP \(status)")
        }
    }
}
