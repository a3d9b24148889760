/// A pre-rendered, escaped label set such as `probe="entitlement",phase="dns"` (without braces).
///
/// Build it once per probe (or per probe and phase) and reuse it on every scrape: the writer copies its
/// bytes without re-escaping. Label names are not escaped; they must match `[a-zA-Z_][a-zA-Z0-9_]*` and must
/// not be `le` (reserved for histogram buckets).
package struct LabelSet: Sendable, Hashable {
    /// UTF-8 bytes of ``rendered``.
    package let bytes: [UInt8]

    /// The label set with no labels.
    package static let empty = LabelSet(bytes: [])

    /// Renders `pairs` (name, value) in the given order, escaping backslash, double quote and newline in
    /// the values.
    package init(_ pairs: [(String, String)]) {
        var bytes: [UInt8] = []
        for (name, value) in pairs { Self.append(name, value, to: &bytes) }
        self.bytes = bytes
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// A copy with one more label appended.
    package func adding(_ name: String, _ value: String) -> LabelSet {
        var bytes: [UInt8] = []
        // One allocation of the final size: scrapes call this for every probe, phase, reason and window.
        bytes.reserveCapacity(self.bytes.count + name.utf8.count + value.utf8.count + 4)
        bytes.append(contentsOf: self.bytes)
        Self.append(name, value, to: &bytes)
        return LabelSet(bytes: bytes)
    }

    /// The rendered labels, for example `probe="entitlement",phase="dns"`.
    package var rendered: String { String(decoding: bytes, as: UTF8.self) }

    /// True when there are no labels.
    package var isEmpty: Bool { bytes.isEmpty }

    private static func append(_ name: String, _ value: String, to bytes: inout [UInt8]) {
        assert(Self.isValidName(name), "invalid label name \(name)")
        if !bytes.isEmpty { bytes.append(UInt8(ascii: ",")) }
        // Through contiguous UTF-8 buffers: iterating `String.UTF8View` a byte at a time cost several times more
        // than the copy, and scrapes render tens of thousands of label sets.
        var name = name
        name.withUTF8 { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "="))
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            let needsEscaping = utf8.contains { byte in
                byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n")
            }
            guard needsEscaping else {
                bytes.append(contentsOf: utf8)
                return
            }
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
                case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
                case UInt8(ascii: "\n"): bytes.append(contentsOf: #"\n"#.utf8)
                default: bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Whether `name` is a valid label name: `[a-zA-Z_][a-zA-Z0-9_]*`.
    package static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
    }
}
