/// The rule a TZif file's footer states for every instant after its last transition: a POSIX `TZ` string with the
/// extensions of RFC 8536 § 3.3.1, such as `CET-1CEST,M3.5.0,M10.5.0/3`, `<+0330>-3:30` or `UTC0`.
///
/// POSIX counts offsets west of Greenwich as positive; ``standardOffset`` and ``Daylight/offset`` are stored the
/// other way round, as seconds to add to UTC. Offsets have hours up to 24; transition times may have hours from
/// -167 to 167.
struct PosixTimeZoneRule: Sendable, Equatable {
    /// The day of a year a transition falls on.
    enum Day: Sendable, Equatable {
        /// `Jn`: day 1 … 365, February 29 never counted (March 1 is always day 60).
        case julianSkippingLeapDay(Int)
        /// `n`: day 0 … 365, February 29 counted in leap years.
        case zeroBasedDayOfYear(Int)
        /// `Mm.w.d`: weekday `weekday` (0 = Sunday) of week `week` (1 … 4, 5 = the last) of `month`.
        case monthWeekDay(month: Int, week: Int, weekday: Int)
    }

    /// A yearly transition: a day, and a local time of day on it (seconds, possibly negative or beyond a day).
    struct Transition: Sendable, Equatable {
        var day: Day
        var time: Int
    }

    /// Daylight saving time: its offset and when, each year, it starts and ends.
    struct Daylight: Sendable, Equatable {
        /// Seconds east of UTC while daylight saving time is in effect.
        var offset: Int
        /// When it starts, in standard local time.
        var start: Transition
        /// When it ends, in daylight saving local time.
        var end: Transition
    }

    /// Seconds east of UTC of standard time.
    var standardOffset: Int
    /// Daylight saving time, when the zone has it.
    var daylight: Daylight?

    /// The rule of a `TZ` string, or `nil` when `text` is not one.
    init?(_ text: some StringProtocol) {
        var reader = Reader(Array(text.utf8))
        guard reader.skipName(), let standard = reader.offset(maxHours: 24) else { return nil }
        standardOffset = -standard
        if reader.atEnd {
            daylight = nil
            return
        }
        guard reader.skipName() else { return nil }
        var daylightOffset = standardOffset + 3600
        if !reader.atEnd && !reader.peek(UInt8(ascii: ",")) {
            guard let offset = reader.offset(maxHours: 24) else { return nil }
            daylightOffset = -offset
        }
        let start: Transition
        let end: Transition
        if reader.atEnd {
            // No rule given: tzcode and glibc fall back to the United States' rule.
            start = Transition(day: .monthWeekDay(month: 3, week: 2, weekday: 0), time: 7200)
            end = Transition(day: .monthWeekDay(month: 11, week: 1, weekday: 0), time: 7200)
        } else {
            guard reader.skip(UInt8(ascii: ",")), let first = reader.transition(), reader.skip(UInt8(ascii: ",")),
                let second = reader.transition(), reader.atEnd
            else { return nil }
            start = first
            end = second
        }
        daylight = Daylight(offset: daylightOffset, start: start, end: end)
    }

    /// Seconds east of UTC at `unixSeconds`.
    func utcOffset(at unixSeconds: Int) -> Int {
        guard let daylight else { return standardOffset }
        let (year, _, _) = RFC3339Timestamp.civilFromDays(Self.floorDivide(unixSeconds + standardOffset, 86_400))
        // The last transition at or before the instant decides. Transition times may lie up to a week outside
        // their year, so the years on either side are looked at too.
        var latest: (time: Int, isDaylight: Bool)?
        for candidate in (year - 1)...(year + 1) {
            let starts = daylight.start.instant(in: candidate, offsetBefore: standardOffset)
            let ends = daylight.end.instant(in: candidate, offsetBefore: daylight.offset)
            for (time, isDaylight) in [(ends, false), (starts, true)] where time <= unixSeconds {
                // At a tie (daylight saving all year: it ends and starts again at the same instant) it stays on.
                if let current = latest, time < current.time || (time == current.time && !isDaylight) { continue }
                latest = (time, isDaylight)
            }
        }
        return latest?.isDaylight == true ? daylight.offset : standardOffset
    }

    static func floorDivide(_ value: Int, _ divisor: Int) -> Int {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? quotient - 1 : quotient
    }

    /// A cursor over the ASCII bytes of a `TZ` string.
    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }

        func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

        mutating func skip(_ byte: UInt8) -> Bool {
            guard peek(byte) else { return false }
            index += 1
            return true
        }

        /// A zone abbreviation: letters (`CET`), or letters, digits and signs between angle brackets (`<+0330>`).
        mutating func skipName() -> Bool {
            if skip(UInt8(ascii: "<")) {
                let start = index
                while index < bytes.count, Self.isQuotedNameByte(bytes[index]) { index += 1 }
                return index > start && skip(UInt8(ascii: ">"))
            }
            let start = index
            while index < bytes.count, Self.isLetter(bytes[index]) { index += 1 }
            return index > start
        }

        /// `[+-]hh[:mm[:ss]]` as signed seconds.
        mutating func offset(maxHours: Int) -> Int? {
            var sign = 1
            if skip(UInt8(ascii: "-")) {
                sign = -1
            } else {
                _ = skip(UInt8(ascii: "+"))
            }
            guard let hours = number(maxDigits: 3), hours <= maxHours else { return nil }
            var seconds = hours * 3600
            if skip(UInt8(ascii: ":")) {
                guard let minutes = number(maxDigits: 2), minutes < 60 else { return nil }
                seconds += minutes * 60
                if skip(UInt8(ascii: ":")) {
                    guard let secondsPart = number(maxDigits: 2), secondsPart < 60 else { return nil }
                    seconds += secondsPart
                }
            }
            return sign * seconds
        }

        /// `date[/time]`, the time 02:00 when not given.
        mutating func transition() -> Transition? {
            let day: Day
            if skip(UInt8(ascii: "J")) {
                guard let number = number(maxDigits: 3), (1...365).contains(number) else { return nil }
                day = .julianSkippingLeapDay(number)
            } else if skip(UInt8(ascii: "M")) {
                guard let month = number(maxDigits: 2), (1...12).contains(month), skip(UInt8(ascii: ".")),
                    let week = number(maxDigits: 1), (1...5).contains(week), skip(UInt8(ascii: ".")),
                    let weekday = number(maxDigits: 1), (0...6).contains(weekday)
                else { return nil }
                day = .monthWeekDay(month: month, week: week, weekday: weekday)
            } else {
                guard let number = number(maxDigits: 3), (0...365).contains(number) else { return nil }
                day = .zeroBasedDayOfYear(number)
            }
            var time = 7200
            if skip(UInt8(ascii: "/")) {
                guard let given = offset(maxHours: 167) else { return nil }
                time = given
            }
            return Transition(day: day, time: time)
        }

        /// One to `maxDigits` decimal digits.
        private mutating func number(maxDigits: Int) -> Int? {
            var value = 0
            var digits = 0
            while digits < maxDigits, index < bytes.count,
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index])
            {
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
                digits += 1
            }
            return digits > 0 ? value : nil
        }

        private static func isLetter(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
        }

        private static func isQuotedNameByte(_ byte: UInt8) -> Bool {
            isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: "-")
        }
    }
}

extension PosixTimeZoneRule.Transition {
    /// The Unix time of this transition in `year`, when local time before it is `offsetBefore` seconds east of UTC.
    func instant(in year: Int, offsetBefore: Int) -> Int {
        let newYear = RFC3339Timestamp.daysFromCivil(year: year, month: 1, day: 1)
        let days: Int
        switch day {
        case .julianSkippingLeapDay(let number):
            let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            days = newYear + number - 1 + (isLeap && number >= 60 ? 1 : 0)
        case .zeroBasedDayOfYear(let number):
            days = newYear + number
        case .monthWeekDay(let month, let week, let weekday):
            let first = RFC3339Timestamp.daysFromCivil(year: year, month: month, day: 1)
            let next =
                month == 12
                ? RFC3339Timestamp.daysFromCivil(year: year + 1, month: 1, day: 1)
                : RFC3339Timestamp.daysFromCivil(year: year, month: month + 1, day: 1)
            // 1970-01-01 was a Thursday (weekday 4, counting Sunday as 0).
            let firstWeekday = ((first + 4) % 7 + 7) % 7
            var day = first + (weekday - firstWeekday + 7) % 7 + (week - 1) * 7
            while day >= next { day -= 7 }
            days = day
        }
        return days * 86_400 + time - offsetBefore
    }
}
