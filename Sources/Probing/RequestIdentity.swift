import Foundation

/// The identifiers every probe request carries so the target can tell synthetic traffic apart and join traces:
/// a unique `X-Request-ID` and a W3C `traceparent`.
public struct RequestIdentity: Sendable {
    /// The `X-Request-ID` value (a lowercase UUID).
    public var requestID: String
    /// The W3C trace context header, sampled.
    public var traceparent: String

    /// A fresh identity.
    public init() {
        requestID = UUID().uuidString.lowercased()
        traceparent = "00-\(Self.randomHex(bytes: 16))-\(Self.randomHex(bytes: 8))-01"
    }

    private static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        var text = ""
        text.reserveCapacity(bytes * 2)
        var allZero = true
        for _ in 0..<bytes {
            let byte = UInt8.random(in: 0...255, using: &generator)
            if byte != 0 { allZero = false }
            text += byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
        }
        // All-zero trace and span ids are invalid in W3C trace context.
        return allZero ? String(repeating: "0", count: bytes * 2 - 1) + "1" : text
    }
}
