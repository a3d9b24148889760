import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Expands `{{name}}` placeholders in URLs, headers and bodies so every probe request is unique.
///
/// Known names: `uuid` (a new UUID each time it appears), `now` (RFC 3339 UTC), `unix` (seconds),
/// `unix_ms`, `request_id` (the request's `X-Request-ID`), `user_id`, `project_id`, `price_id`. Unknown names
/// are left as they are.
package struct Placeholders: Sendable {
    /// Fixed values by name.
    package var values: [String: String]

    /// Values for one request at `now`.
    package init(requestID: String, userID: String, projectID: String, priceID: String, now: Date = Date()) {
        let seconds = now.timeIntervalSince1970
        values = [
            "now": Self.rfc3339(now),
            "unix": String(Int(seconds)),
            "unix_ms": String(Int(seconds * 1000)),
            "request_id": requestID,
            "user_id": userID,
            "project_id": projectID,
            "price_id": priceID,
        ]
    }

    /// `text` with every known placeholder replaced.
    package func expand(_ text: String) -> String {
        guard Self.mayContainPlaceholder(text) else { return text }
        var output = ""
        var rest = text[...]
        while let open = rest.firstRange(of: "{{") {
            output += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstRange(of: "}}") else {
                rest = rest[open.lowerBound...]
                break
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmed()
            if name == "uuid" {
                output += UUID().uuidString.lowercased()
            } else if let value = values[name] {
                output += value
            } else {
                output += rest[open.lowerBound..<close.upperBound]
            }
            rest = rest[close.upperBound...]
        }
        output += rest
        return output
    }

    /// Whether `text` contains `{{`. A byte scan: `String.contains` with Foundation imported goes through
    /// `NSString`, which cost more than the rest of building a request.
    static func mayContainPlaceholder(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "{") && previous == UInt8(ascii: "{") { return true }
            previous = byte
        }
        return false
    }

    static func rfc3339(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
