/// Reads and writes RFC 3339 timestamps (`2026-12-24T22:00:00Z`, `2026-12-24T23:00:00.123+01:00`) as Unix seconds,
/// as the config's maintenance windows, the silences API and the log lines use them.
///
/// Plain arithmetic on the proleptic Gregorian calendar (Howard Hinnant's days-from-civil), so no calendar or
/// locale library is loaded to stamp a log line.
package enum RFC3339Timestamp {
    /// Unix seconds, or `nil` when `text` is not an RFC 3339 date-time with a zone (`Z` or `±hh:mm`). Fractional
    /// seconds of any length are kept; a leap second (`:60`) is refused.
    package static func parse(_ text: String) -> Double? {
        var reader = Reader(Array(text.utf8))
        guard let year = reader.number(4), reader.skip(UInt8(ascii: "-")),
            let month = reader.number(2), reader.skip(UInt8(ascii: "-")),
            let day = reader.number(2), reader.skipAny([UInt8(ascii: "T"), UInt8(ascii: "t")]),
            let hour = reader.number(2), reader.skip(UInt8(ascii: ":")),
            let minute = reader.number(2), reader.skip(UInt8(ascii: ":")),
            let second = reader.number(2)
        else { return nil }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60,
            second < 60
        else { return nil }
        var fraction = 0.0
        if reader.skip(UInt8(ascii: ".")) {
            var scale = 0.1
            var digits = 0
            while let digit = reader.digit() {
                fraction += Double(digit) * scale
                scale /= 10
                digits += 1
            }
            guard digits > 0 else { return nil }
        }
        var offset = 0
        if reader.skipAny([UInt8(ascii: "Z"), UInt8(ascii: "z")]) {
            offset = 0
        } else if let sign = reader.next(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            guard let hours = reader.number(2), reader.skip(UInt8(ascii: ":")), let minutes = reader.number(2),
                hours < 24, minutes < 60
            else { return nil }
            offset = (hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
        } else {
            return nil
        }
        guard reader.atEnd else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
    }

    /// Unix seconds of a UTC civil date and time (month 1-12), or `nil` when a field is out of range; a leap second
    /// (`second` 60) is refused.
    package static func unixSeconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Double? {
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), (0..<24).contains(hour),
            (0..<60).contains(minute), (0..<60).contains(second)
        else { return nil }
        return Double(daysFromCivil(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second)
    }

    /// `2026-12-24T22:00:00Z` (whole seconds, UTC).
    package static func format(_ unixSeconds: Double) -> String {
        let whole = Int(unixSeconds.rounded(.down))
        return civil(whole) + "Z"
    }

    /// `2026-12-24T22:00:00.123Z` (milliseconds, UTC), as log lines carry it.
    package static func formatMilliseconds(_ unixSeconds: Double) -> String {
        let milliseconds = Int((unixSeconds * 1000).rounded(.down))
        let (seconds, remainder) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let (whole, millis) = remainder < 0 ? (seconds - 1, remainder + 1000) : (seconds, remainder)
        return civil(whole) + "." + padded(millis, 3) + "Z"
    }

    /// The UTC calendar year at `unixSeconds`.
    package static func civilYear(of unixSeconds: Double) -> Int {
        civilFromDays(floorDivide(Int(unixSeconds.rounded(.down)), 86_400).0).year
    }

    /// `YYYY-MM-DDThh:mm:ss` for whole Unix seconds.
    private static func civil(_ unixSeconds: Int) -> String {
        let (days, secondOfDay) = floorDivide(unixSeconds, 86_400)
        let (year, month, day) = civilFromDays(days)
        return padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2) + "T" + padded(secondOfDay / 3600, 2)
            + ":" + padded(secondOfDay / 60 % 60, 2) + ":" + padded(secondOfDay % 60, 2)
    }

    private static func floorDivide(_ value: Int, _ divisor: Int) -> (Int, Int) {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    private static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a count of days since 1970-01-01.
    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// A cursor over ASCII bytes.
    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }

        mutating func next() -> UInt8? {
            guard index < bytes.count else { return nil }
            defer { index += 1 }
            return bytes[index]
        }

        mutating func digit() -> Int? {
            guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else {
                return nil
            }
            defer { index += 1 }
            return Int(bytes[index] - UInt8(ascii: "0"))
        }

        /// Exactly `count` digits.
        mutating func number(_ count: Int) -> Int? {
            var value = 0
            for _ in 0..<count {
                guard let digit = digit() else { return nil }
                value = value * 10 + digit
            }
            return value
        }

        mutating func skip(_ byte: UInt8) -> Bool { skipAny([byte]) }

        mutating func skipAny(_ choices: [UInt8]) -> Bool {
            guard index < bytes.count, choices.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
    }
}
