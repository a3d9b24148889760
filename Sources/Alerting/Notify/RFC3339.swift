#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// RFC 3339 timestamps in UTC, as Alertmanager writes them.
enum RFC3339 {
    /// Go's zero time, which Alertmanager writes as the `endsAt` of firing alerts in webhook payloads.
    static let zero = "0001-01-01T00:00:00Z"

    /// `2026-11-22T02:34:00Z`, or with milliseconds (`…:00.123Z`) when the time has a fraction.
    static func format(_ unixSeconds: Double) -> String {
        var whole = unixSeconds.rounded(.down)
        var milliseconds = Int(((unixSeconds - whole) * 1000).rounded())
        if milliseconds == 1000 {
            whole += 1
            milliseconds = 0
        }
        var time = time_t(whole)
        var parts = tm()
        gmtime_r(&time, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        var text =
            "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))"
            + "T\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))"
        if milliseconds > 0 { text += "." + pad(Int32(milliseconds), 3) }
        return text + "Z"
    }
}
