/// The identifiers every probe request carries so the target can tell synthetic traffic apart and join traces:
/// a unique `X-Request-ID` and a W3C `traceparent`.
package struct RequestIdentity: Sendable {
    /// The `X-Request-ID` value (a lowercase UUID).
    package var requestID: String
    /// The W3C trace context header, sampled.
    package var traceparent: String

    /// A fresh identity.
    package init() {
        // Five 64-bit draws instead of Foundation's UUID and a random byte at a time: every draw from
        // SystemRandomNumberGenerator is a getrandom(2) system call, and this runs for every probe request.
        var generator = SystemRandomNumberGenerator()
        var uuidHigh = generator.next()
        var uuidLow = generator.next()
        let traceHigh = generator.next()
        var traceLow = generator.next()
        var span = generator.next()
        // RFC 4122 version 4 (random) and variant 10xx bits.
        uuidHigh = (uuidHigh & ~0xF000) | 0x4000
        uuidLow = (uuidLow & ~(0xC000 << 48)) | (0x8000 << 48)
        // All-zero trace and span ids are invalid in W3C trace context.
        if traceHigh == 0 && traceLow == 0 { traceLow = 1 }
        if span == 0 { span = 1 }
        requestID = String(unsafeUninitializedCapacity: 36) { buffer in
            var cursor = 0
            Self.hex(uuidHigh, digits: 16, into: buffer, at: &cursor, dashesBefore: 1 << 8 | 1 << 12)
            buffer[cursor] = UInt8(ascii: "-")
            cursor += 1
            Self.hex(uuidLow, digits: 16, into: buffer, at: &cursor, dashesBefore: 1 << 4)
            return cursor
        }
        traceparent = String(unsafeUninitializedCapacity: 55) { buffer in
            var cursor = 0
            for byte in "00-".utf8 {
                buffer[cursor] = byte
                cursor += 1
            }
            Self.hex(traceHigh, digits: 16, into: buffer, at: &cursor)
            Self.hex(traceLow, digits: 16, into: buffer, at: &cursor)
            buffer[cursor] = UInt8(ascii: "-")
            cursor += 1
            Self.hex(span, digits: 16, into: buffer, at: &cursor)
            for byte in "-01".utf8 {
                buffer[cursor] = byte
                cursor += 1
            }
            return cursor
        }
    }

    /// A fresh identity (request id and span id) in the trace `traceID`, so every request of one journey run
    /// joins the same trace.
    package init(traceID: String) {
        self.init()
        traceparent = "00-" + traceID + traceparent.dropFirst(35)
    }

    /// The trace id part of ``traceparent``: 32 lowercase hex digits.
    package var traceID: String {
        String(traceparent.dropFirst(3).prefix(32))
    }

    /// Writes `value` as `digits` lowercase hex digits, most significant first, with a `-` before digit `i` for
    /// each bit `i` set in `dashesBefore`.
    private static func hex(
        _ value: UInt64,
        digits: Int,
        into buffer: UnsafeMutableBufferPointer<UInt8>,
        at cursor: inout Int,
        dashesBefore: UInt32 = 0
    ) {
        for index in 0..<digits {
            if dashesBefore & (1 << UInt32(index)) != 0 {
                buffer[cursor] = UInt8(ascii: "-")
                cursor += 1
            }
            let nibble = UInt8(truncatingIfNeeded: value >> UInt64(4 * (digits - 1 - index))) & 0xF
            buffer[cursor] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
            cursor += 1
        }
    }
}
