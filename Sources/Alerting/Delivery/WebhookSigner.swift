import Config
import Digest
import FoundationEssentials

/// Signature headers for a delivery attempt, per the receiver's ``ReceiverConfig/Signing``.
package enum WebhookSigner {
    /// The headers to add for a body sent at `timestamp` (Unix seconds) as notification `id`.
    package static func headers(
        for signing: ReceiverConfig.Signing,
        id: String,
        timestamp: Int,
        body: [UInt8]
    ) -> [(name: String, value: String)] {
        switch signing {
        case .none:
            // Unsigned deliveries still carry their id, the receiver's idempotency key across retries.
            return [("webhook-id", id)]
        case .standardWebhooks(let secret):
            let message = Array("\(id).\(timestamp).".utf8) + body
            let mac = SHA256.hmac(key: standardWebhooksKey(secret), message: message)
            return [
                ("webhook-id", id),
                ("webhook-timestamp", String(timestamp)),
                ("webhook-signature", "v1," + Data(mac).base64EncodedString()),
            ]
        case .stripe(let secret):
            let message = Array("\(timestamp).".utf8) + body
            let hex = SHA256.hex(SHA256.hmac(key: Array(secret.value.utf8), message: message))
            return [("Stripe-Signature", "t=\(timestamp),v1=\(hex)"), ("webhook-id", id)]
        }
    }

    /// The HMAC key of a Standard Webhooks secret: base64-decoded after a `whsec_` prefix, else its UTF-8 bytes.
    static func standardWebhooksKey(_ secret: Secret) -> [UInt8] {
        if secret.value.hasPrefix("whsec_"), let data = Data(base64Encoded: String(secret.value.dropFirst(6))) {
            return Array(data)
        }
        return Array(secret.value.utf8)
    }
}
