/// Percent-encoding for values put into URLs (RFC 3986): every UTF-8 byte but the kept ASCII characters becomes
/// `%XX` (uppercase hex).
package enum PercentEncoding {
    /// RFC 3986's unreserved characters besides letters and digits.
    package static let unreserved = "-._~"
    /// What a value may keep inside a query without splitting it: unreserved, and the sub-delimiters, `:`, `@` and
    /// `/` less `&`, `+` and `=` (`#` and `?` are never kept).
    package static let queryValue = "-._~!$'()*,/:;@"

    /// `value` with letters, digits and the characters of `keeping` left as they are, everything else encoded.
    package static func encode(_ value: String, keeping: String) -> String {
        let kept = Set(keeping.utf8)
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                bytes.append(byte)
            case _ where kept.contains(byte):
                bytes.append(byte)
            default:
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `text` with every `%XX` decoded; `nil` when an escape is malformed or the bytes are not UTF-8 (`+` stays `+`).
    package static func decode(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
