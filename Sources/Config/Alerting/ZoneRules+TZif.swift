extension ZoneRules {
    /// The zone in the TZif bytes `bytes` (RFC 8536, versions 1 to 4), read from `path` (named in errors).
    ///
    /// A version 2+ file repeats its data with 64-bit times after the version 1 block, and ends with the footer;
    /// only that second block and the footer are used. A version 1 file has only 32-bit times and no footer.
    init(identifier: String, tzif bytes: [UInt8], path: String) throws(LoadError) {
        var reader = TZifReader(bytes: bytes)
        guard bytes.count >= 4, bytes[0..<4].elementsEqual("TZif".utf8) else { throw .notTZif(path: path) }
        guard let first = reader.header() else { throw .malformed(path: path, reason: "the header is cut short") }
        var counts = first.counts
        var timeSize = 4
        if first.version >= 2 {
            guard reader.skip(counts.dataSize(timeSize: 4)), let second = reader.header() else {
                throw .malformed(path: path, reason: "the version 1 data block is cut short")
            }
            counts = second.counts
            timeSize = 8
        }
        guard counts.types > 0 else { throw .malformed(path: path, reason: "it has no local time types") }
        guard let transitions = reader.integers(counts.transitions, size: timeSize),
            let transitionTypes = reader.bytes(counts.transitions),
            let typeRecords = reader.bytes(counts.types * 6),
            reader.skip(
                counts.abbreviationBytes + counts.leapSeconds * (timeSize + 4) + counts.standardIndicators
                    + counts.utcIndicators
            )
        else { throw .malformed(path: path, reason: "the data block is cut short") }
        guard zip(transitions, transitions.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw .malformed(path: path, reason: "its transition times are not ascending")
        }
        guard transitionTypes.allSatisfy({ Int($0) < counts.types }) else {
            throw .malformed(path: path, reason: "a transition names a local time type it does not have")
        }
        var offsets: [Int] = []
        for type in 0..<counts.types {
            let record = typeRecords[(type * 6)..<(type * 6 + 4)]
            let offset = Int32(bitPattern: record.reduce(0) { $0 << 8 | UInt32($1) })
            guard offset != Int32.min else { throw .malformed(path: path, reason: "a UT offset is -2^31") }
            offsets.append(Int(offset))
        }
        var footer: PosixTimeZoneRule?
        if first.version >= 2 {
            guard let text = reader.footer() else {
                throw .malformed(path: path, reason: "the footer is not a newline-enclosed TZ string")
            }
            if !text.isEmpty {
                guard let rule = PosixTimeZoneRule(text) else {
                    throw .malformed(path: path, reason: "the footer \"\(text)\" is not a POSIX TZ string")
                }
                footer = rule
            }
        }
        self.init(
            identifier: identifier,
            transitions: transitions,
            transitionTypes: transitionTypes,
            offsets: offsets,
            footer: footer
        )
    }
}

/// The counts of a TZif header, in file order.
private struct TZifCounts {
    var utcIndicators: Int
    var standardIndicators: Int
    var leapSeconds: Int
    var transitions: Int
    var types: Int
    var abbreviationBytes: Int

    /// The size of the data block these counts describe, with `timeSize`-byte times.
    func dataSize(timeSize: Int) -> Int {
        transitions * timeSize + transitions + types * 6 + abbreviationBytes + leapSeconds * (timeSize + 4)
            + standardIndicators + utcIndicators
    }
}

/// A cursor over the big-endian fields of a TZif file.
private struct TZifReader {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// The 44-byte header: magic, version (0 for version 1, else the digit), 15 unused bytes, six 32-bit counts.
    mutating func header() -> (version: Int, counts: TZifCounts)? {
        guard bytes.count - index >= 44, bytes[index..<(index + 4)].elementsEqual("TZif".utf8) else { return nil }
        let versionByte = bytes[index + 4]
        let version = versionByte == 0 ? 1 : Int(versionByte) - Int(UInt8(ascii: "0"))
        guard version >= 1 else { return nil }
        index += 20
        var counts: [Int] = []
        for _ in 0..<6 {
            let value = bytes[index..<(index + 4)].reduce(0) { $0 << 8 | UInt32($1) }
            // A count beyond what any file of the size limit can hold.
            guard value <= 1 << 20 else { return nil }
            counts.append(Int(value))
            index += 4
        }
        return (
            version,
            TZifCounts(
                utcIndicators: counts[0],
                standardIndicators: counts[1],
                leapSeconds: counts[2],
                transitions: counts[3],
                types: counts[4],
                abbreviationBytes: counts[5]
            )
        )
    }

    mutating func skip(_ count: Int) -> Bool {
        guard bytes.count - index >= count else { return false }
        index += count
        return true
    }

    mutating func bytes(_ count: Int) -> [UInt8]? {
        guard bytes.count - index >= count else { return nil }
        defer { index += count }
        return Array(bytes[index..<(index + count)])
    }

    /// `count` signed big-endian integers of `size` bytes (4 or 8).
    mutating func integers(_ count: Int, size: Int) -> [Int64]? {
        guard bytes.count - index >= count * size else { return nil }
        var values: [Int64] = []
        values.reserveCapacity(count)
        for _ in 0..<count {
            let raw = bytes[index..<(index + size)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            values.append(
                size == 4 ? Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: raw))) : Int64(bitPattern: raw)
            )
            index += size
        }
        return values
    }

    /// The footer's text between its two newlines.
    mutating func footer() -> String? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\n") else { return nil }
        guard let end = bytes[(index + 1)...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        defer { index = end + 1 }
        return String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
    }
}
