#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Parses the certificate dates libcurl reports in its certificate info.
///
/// The OpenSSL backend prints `Jan  2 03:04:05 2030 GMT` (ASN1_TIME_print); other backends print
/// `2030-01-02 03:04:05 GMT`. Both become Unix seconds.
enum CertificateDate {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func parse(_ text: String) -> Double? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        var components: (year: Int, month: Int, day: Int, time: String)?
        if parts.count >= 4, let month = months.firstIndex(of: parts[0]), let day = Int(parts[1]),
            let year = Int(parts[3])
        {
            components = (year, month + 1, day, parts[2])
        } else if parts.count >= 2 {
            let date = parts[0].split(separator: "-").compactMap { Int($0) }
            if date.count == 3 { components = (date[0], date[1], date[2], parts[1]) }
        }
        guard let components else { return nil }
        let clock = components.time.split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        var moment = tm()
        moment.tm_year = Int32(components.year - 1900)
        moment.tm_mon = Int32(components.month - 1)
        moment.tm_mday = Int32(components.day)
        moment.tm_hour = Int32(clock[0])
        moment.tm_min = Int32(clock[1])
        moment.tm_sec = Int32(clock[2])
        let seconds = timegm(&moment)
        return seconds < 0 ? nil : Double(seconds)
    }
}
