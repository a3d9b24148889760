import Foundation

/// Reads RFC 3339 timestamps (`2026-12-24T22:00:00Z`, `2026-12-24T23:00:00.123+01:00`) into Unix seconds, as
/// the config's maintenance windows and the silences API write them.
package enum RFC3339Timestamp {
    /// Unix seconds, or `nil` when `text` is not an RFC 3339 date-time with a zone.
    package static func parse(_ text: String) -> Double? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)?.timeIntervalSince1970
    }

    /// `2026-12-24T22:00:00Z` (whole seconds, UTC).
    package static func format(_ unixSeconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: unixSeconds.rounded(.down)))
    }
}
