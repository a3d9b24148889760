import Foundation

/// Parses the `Retry-After` response header: delay seconds or an HTTP date.
package enum RetryAfter {
    /// The delay in seconds from `now`, or `nil` if the value is neither form.
    package static func delay(_ value: String, now: Double) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if let seconds = Int(trimmed) { return Double(max(0, seconds)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        // IMF-fixdate first, then the two obsolete forms HTTP still accepts.
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: trimmed) { return max(0, date.timeIntervalSince1970 - now) }
        }
        return nil
    }
}
