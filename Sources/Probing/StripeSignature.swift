import Digest

/// Stripe's webhook signature: `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
package enum StripeSignature {
    /// The header value signing `body` at Unix time `timestamp` with `secret`.
    package static func header(body: [UInt8], secret: String, timestamp: Int) -> String {
        "t=\(timestamp),v1=\(hex(body: body, secret: secret, timestamp: timestamp))"
    }

    /// The lowercase hex HMAC-SHA256 of `"<timestamp>.<body>"`.
    package static func hex(body: [UInt8], secret: String, timestamp: Int) -> String {
        var signed = Array("\(timestamp).".utf8)
        signed.append(contentsOf: body)
        return SHA256.hex(SHA256.hmac(key: Array(secret.utf8), message: signed))
    }
}
