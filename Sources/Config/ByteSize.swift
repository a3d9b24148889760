import FoundationEssentials

/// Byte sizes: a plain integer, or an integer with a unit: `B`, `KB`/`MB`/`GB`/`TB` (powers of 1000),
/// `KiB`/`MiB`/`GiB`/`TiB` (powers of 1024), e.g. `512KiB`, `1MiB`, `50MB`.
package enum ByteSize {
    static let units: [String: Int] = [
        "b": 1,
        "kb": 1000, "mb": 1_000_000, "gb": 1_000_000_000, "tb": 1_000_000_000_000,
        "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
    ]

    /// Parses a byte size such as `1MiB` or `65536`; unit letters are case-insensitive.
    package static func parse(_ text: String) throws(ValueParseError) -> Int {
        let trimmed = text.trimmed()
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let count = Int(digits) else {
            throw ValueParseError("\"\(text)\" is not a byte size (expected e.g. 65536, 512KiB, 1MiB, 50MB)")
        }
        let unit = trimmed.dropFirst(digits.count).trimmed()
        if unit.isEmpty {
            return count
        }
        guard let factor = units[unit.lowercased()] else {
            throw ValueParseError(
                "unknown unit \"\(unit)\" in byte size \"\(text)\" (units: B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)"
            )
        }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: factor)
        if overflow {
            throw ValueParseError("byte size \"\(text)\" is too large")
        }
        return bytes
    }
}

/// Parses a byte size such as `512KiB`, `1MiB`, `50MB` or a plain integer; see ``ByteSize``.
package func parseByteSize(_ s: String) throws(ValueParseError) -> Int {
    try ByteSize.parse(s)
}
