/// How hard notifications are pushed through: retries, backoff and the retry budget.
///
/// Attempt *n* (from 1) that fails with a timeout, a connection error, a 5xx or a 429 is retried after
/// `min(maxBackoff, initialBackoff × 2^(n-1))`, of which a random part up to ``jitter`` is taken off; a
/// `Retry-After` header (seconds or HTTP date) replaces that delay, up to ``maxRetryAfter``. Other 4xx answers are
/// dead-lettered at once. After ``maxAttempts`` attempts or ``maxAge`` seconds a notification is dead-lettered.
package struct DeliveryPolicy: Sendable, Equatable {
    /// Delay before the first retry, in seconds.
    package var initialBackoff: Double
    /// Largest delay between attempts.
    package var maxBackoff: Double
    /// Fraction (0...1) of each delay that is randomised away.
    package var jitter: Double
    /// Most attempts per notification.
    package var maxAttempts: Int
    /// Oldest a notification may get before it is dead-lettered, in seconds.
    package var maxAge: Double
    /// Longest `Retry-After` honoured, in seconds.
    package var maxRetryAfter: Double

    /// Creates a policy.
    package init(
        initialBackoff: Double = 1,
        maxBackoff: Double = 60,
        jitter: Double = 0.2,
        maxAttempts: Int = 100,
        maxAge: Double = 86_400,
        maxRetryAfter: Double = 3600
    ) {
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.jitter = jitter
        self.maxAttempts = maxAttempts
        self.maxAge = maxAge
        self.maxRetryAfter = maxRetryAfter
    }

    /// The delay before retrying after failed attempt `attempt` (1-based), jitter applied with `random` in 0..<1.
    package func backoff(afterAttempt attempt: Int, random: Double) -> Double {
        let exponent = Double(max(0, min(attempt - 1, 62)))
        let delay = min(maxBackoff, initialBackoff * pow2(exponent))
        return delay * (1 - jitter * min(max(random, 0), 1))
    }

    private func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        var remaining = Int(exponent)
        while remaining > 0 && value < 1e12 {
            value *= 2
            remaining -= 1
        }
        return value
    }
}
