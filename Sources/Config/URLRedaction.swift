/// How much of a URL slaprobe shows in logs, pages, API responses and errors.
///
/// A URL can carry secrets: a password in its user info (`https://user:pw@billing.example.com`), or, for a
/// webhook receiver, a token in its path (`https://hooks.slack.com/services/T0/B0/<token>`). Every place that
/// shows a configured URL passes it through ``apply(to:)`` first.
package enum URLRedaction: Sendable {
    /// Replaces the user info, if any, with `<redacted>` and keeps the rest: probe and target URLs, whose path
    /// says which endpoint is probed. `http://user:pw@host/p` becomes `http://<redacted>@host/p`.
    case userInfo
    /// Keeps only the scheme, host and port: receiver URLs, whose path or query is often the secret itself.
    /// `https://hooks.example.com/T0/B0/token?x=1` becomes `https://hooks.example.com`.
    case allButOrigin

    /// What may be shown of `url`. Text that is not an absolute URL is treated as one without a scheme, so a
    /// mistyped URL in an error message is redacted as well.
    package func apply(to url: String) -> String {
        let schemeEnd = url.firstRange(of: "://")
        let authorityStart = schemeEnd?.upperBound ?? url.startIndex
        let authorityEnd = url[authorityStart...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? url.endIndex
        let authority = url[authorityStart..<authorityEnd]
        let host = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
        switch self {
        case .userInfo:
            guard host.startIndex != authority.startIndex else { return url }
            return String(url[..<authorityStart]) + "<redacted>@" + host + url[authorityEnd...]
        case .allButOrigin:
            guard let schemeEnd, !host.isEmpty else { return "<invalid url>" }
            return String(url[..<schemeEnd.upperBound]) + host
        }
    }
}
