/// The wire format of a `/metrics` response.
package enum ExpositionFormat: Sendable, Equatable {
    /// Prometheus text format 0.0.4.
    case text
    /// OpenMetrics text format 1.0.0.
    case openMetrics

    /// Value for the `Content-Type` response header.
    package var contentType: String {
        switch self {
        case .text: "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }

    /// Picks the format for a request's `Accept` header: ``openMetrics`` when the header lists
    /// `application/openmetrics-text` with `q > 0` (and no version, or version 1.0.0 or 0.0.1, which share the
    /// same syntax), ``text`` otherwise, including for a missing header.
    ///
    /// Prometheus sends for example
    /// `application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1`.
    package static func negotiate(accept: String?) -> ExpositionFormat {
        guard let accept else { return .text }
        for range in accept.split(separator: ",") {
            let parts = range.split(separator: ";", omittingEmptySubsequences: false)
            guard let mediaType = parts.first, trimmed(mediaType).lowercased() == "application/openmetrics-text"
            else { continue }
            var quality = 1.0
            var versionOK = true
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1)
                guard pair.count == 2 else { continue }
                let key = trimmed(pair[0]).lowercased()
                let value = trimmed(pair[1]).trimmingQuotes()
                if key == "q" {
                    quality = Double(value) ?? 0
                } else if key == "version" {
                    versionOK = value == "1.0.0" || value == "0.0.1"
                }
            }
            if quality > 0, versionOK { return .openMetrics }
        }
        return .text
    }

    private static func trimmed(_ text: Substring) -> Substring {
        var text = text
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}

extension Substring {
    fileprivate func trimmingQuotes() -> Substring {
        count >= 2 && first == "\"" && last == "\"" ? dropFirst().dropLast() : self
    }
}
