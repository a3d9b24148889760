/// A short string kept in 16 bytes without a heap allocation: a canonical lowercase UUID (the request IDs
/// slaprobe generates, 36 characters) as its 16 raw bytes, or any text of at most 16 UTF-8 bytes as those
/// bytes. Anything else does not fit (`init?` returns nil) and is kept as a `String` elsewhere.
///
/// A window holds a request ID for every sample; as `String`s they were a heap object each (some 80 bytes),
/// which was most of a thousand probes' memory.
struct CompactText: Sendable, Equatable {
    /// First 8 bytes (UUID: the first 16 hex digits; text: bytes 0-7, little-endian).
    var high: UInt64
    /// Last 8 bytes.
    var low: UInt64
    /// ``uuid``, or the length of inline text (0...16).
    var kind: UInt8

    /// `kind` of a UUID.
    static let uuid: UInt8 = 0xFF

    init?(_ text: String) {
        var text = text
        guard let packed = text.withUTF8({ Self.pack($0) }) else { return nil }
        self = packed
    }

    init(high: UInt64, low: UInt64, kind: UInt8) {
        self.high = high
        self.low = low
        self.kind = kind
    }

    /// The text this was made from.
    var text: String {
        if kind == Self.uuid {
            return String(unsafeUninitializedCapacity: 36) { buffer in
                var cursor = 0
                for (index, nibble) in (0..<32).map({ self.nibble($0) }).enumerated() {
                    if index == 8 || index == 12 || index == 16 || index == 20 {
                        buffer[cursor] = UInt8(ascii: "-")
                        cursor += 1
                    }
                    buffer[cursor] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
                    cursor += 1
                }
                return cursor
            }
        }
        return String(unsafeUninitializedCapacity: Int(kind)) { buffer in
            for index in 0..<Int(kind) {
                let word = index < 8 ? high : low
                buffer[index] = UInt8(truncatingIfNeeded: word >> UInt64(8 * (index % 8)))
            }
            return Int(kind)
        }
    }

    private func nibble(_ index: Int) -> UInt8 {
        let word = index < 16 ? high : low
        return UInt8(truncatingIfNeeded: word >> UInt64(4 * (15 - index % 16))) & 0xF
    }

    private static func pack(_ utf8: UnsafeBufferPointer<UInt8>) -> CompactText? {
        if utf8.count == 36, let uuid = packUUID(utf8) { return uuid }
        guard utf8.count <= 16 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in utf8.enumerated() {
            if index < 8 {
                high |= UInt64(byte) << UInt64(8 * index)
            } else {
                low |= UInt64(byte) << UInt64(8 * (index - 8))
            }
        }
        return CompactText(high: high, low: low, kind: UInt8(utf8.count))
    }

    /// 8-4-4-4-12 lowercase hex digits; uppercase or anything else is not canonical (it would not come back
    /// the same).
    private static func packUUID(_ utf8: UnsafeBufferPointer<UInt8>) -> CompactText? {
        var words: (UInt64, UInt64) = (0, 0)
        var digits = 0
        for (index, byte) in utf8.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let value: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            if digits < 16 {
                words.0 = words.0 << 4 | UInt64(value)
            } else {
                words.1 = words.1 << 4 | UInt64(value)
            }
            digits += 1
        }
        return CompactText(high: words.0, low: words.1, kind: uuid)
    }
}
