import Config

/// Parses the `Retry-After` response header: delay seconds or an HTTP date.
package enum RetryAfter {
    /// The delay in seconds from `now`, or `nil` if the value is neither form.
    package static func delay(_ value: String, now: Double) -> Double? {
        let trimmed = value.trimmingBlanks()
        if let seconds = Int(trimmed) { return Double(max(0, seconds)) }
        guard let date = httpDate(String(trimmed), now: now) else { return nil }
        return max(0, date - now)
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    private static let longWeekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    /// Unix seconds of an HTTP date (RFC 9110 §5.6.7) in any of its three forms: IMF-fixdate
    /// (`Sun, 06 Nov 1994 08:49:37 GMT`), and the obsolete RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime
    /// (`Sun Nov  6 08:49:37 1994`) forms a recipient must still accept. A two-digit year is read as the latest
    /// year with those digits that is not more than 50 years after `now`.
    static func httpDate(_ text: String, now: Double) -> Double? {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map { $0.lowercased() }
        var day: Int?
        var month: Int?
        var year: Int?
        var clock: String?
        switch words.count {
        case 6 where words[0].hasSuffix(",") && weekdays.contains(String(words[0].dropLast())) && words[5] == "gmt":
            // IMF-fixdate: day month year time GMT.
            guard words[1].count == 2, words[3].count == 4 else { return nil }
            (day, month, year, clock) = (Int(words[1]), months.firstIndex(of: words[2]), Int(words[3]), words[4])
        case 4 where words[0].hasSuffix(",") && longWeekdays.contains(String(words[0].dropLast())) && words[3] == "gmt":
            // RFC 850: dd-Mon-yy time GMT.
            let parts = words[1].split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].count == 2, parts[2].count == 2, let twoDigits = Int(parts[2]) else {
                return nil
            }
            let thisYear = RFC3339Timestamp.civilYear(of: now)
            var full = thisYear - thisYear % 100 + twoDigits
            if full > thisYear + 50 { full -= 100 }
            (day, month, year, clock) = (Int(parts[0]), months.firstIndex(of: String(parts[1])), full, words[2])
        case 5 where weekdays.contains(words[0]):
            // asctime: Mon d time yyyy (the day is space-padded, which the split absorbs).
            guard words[4].count == 4 else { return nil }
            (day, month, year, clock) = (Int(words[2]), months.firstIndex(of: words[1]), Int(words[4]), words[3])
        default:
            return nil
        }
        guard let day, let month, let year, let clock else { return nil }
        let fields = clock.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 3, fields.allSatisfy({ $0.count == 2 }), let hour = Int(fields[0]),
            let minute = Int(fields[1]), let second = Int(fields[2]), hour < 24, minute < 60, second < 61
        else { return nil }
        // A leap second (60) counts as the second before it.
        return RFC3339Timestamp.unixSeconds(
            year: year,
            month: month + 1,
            day: day,
            hour: hour,
            minute: minute,
            second: min(second, 59)
        )
    }
}
