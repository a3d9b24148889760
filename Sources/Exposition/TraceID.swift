/// A W3C trace id (the 32 lowercase hex digits of a `traceparent`) kept as its 16 raw bytes: no heap object,
/// so a histogram bucket or a window sample can carry one at a fixed size.
package struct TraceID: Sendable, Hashable {
    /// The first 16 hex digits.
    package var high: UInt64
    /// The last 16 hex digits.
    package var low: UInt64

    /// The trace id of 32 hex digits `text` (either case); nil for anything else, and for the all-zero id,
    /// which W3C trace context declares invalid.
    package init?(_ text: String) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var digits = 0
        for byte in text.utf8 {
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            guard digits < 32 else { return nil }
            if digits < 16 {
                high = high << 4 | UInt64(nibble)
            } else {
                low = low << 4 | UInt64(nibble)
            }
            digits += 1
        }
        guard digits == 32, high != 0 || low != 0 else { return nil }
        self.high = high
        self.low = low
    }

    /// A trace id from its two halves.
    package init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The 32 lowercase hex digits.
    package var hex: String {
        String(unsafeUninitializedCapacity: 32) { buffer in
            Self.write(self, into: buffer.baseAddress!)
            return 32
        }
    }

    /// Writes the 32 lowercase hex digits at `pointer`.
    @inline(__always)
    static func write(_ id: TraceID, into pointer: UnsafeMutablePointer<UInt8>) {
        for index in 0..<32 {
            let word = index < 16 ? id.high : id.low
            let nibble = UInt8(truncatingIfNeeded: word >> UInt64(4 * (15 - index % 16))) & 0xF
            pointer[index] = nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &+ nibble &- 10
        }
    }
}
