/// An HTTP request as the server hands it to the handler.
package struct ServerRequest: Sendable {
    /// The request method exactly as sent ("GET", "POST", or any other token).
    package var method: String
    /// The URL path without the query string, percent-decoded, e.g. "/api/v1/entitlements".
    package var path: String
    /// Decoded query arguments; when a name repeats, the last value wins. A name without "=" maps to "".
    package var query: [String: String]
    /// Every decoded query argument in order, repeats included (`?filter=a&filter=b`).
    package var queryItems: [(name: String, value: String)] = []
    /// Request headers with lowercased names; repeated headers are joined with ", ".
    package var headers: [String: String]
    /// The complete request body.
    package var body: [UInt8]
    /// The peer's numeric address ("127.0.0.1", "::1"), when known.
    package var remoteAddress: String?

    /// Builds a request; used by the server and handy for calling handlers directly in tests.
    package init(
        method: String,
        path: String,
        query: [String: String] = [:],
        headers: [String: String] = [:],
        body: [UInt8] = [],
        remoteAddress: String? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        var lowered: [String: String] = [:]
        for (name, value) in headers {
            lowered[name.lowercased()] = value
        }
        self.headers = lowered
        self.body = body
        self.remoteAddress = remoteAddress
    }

    /// The value of a header, looked up case-insensitively.
    package func header(_ name: String) -> String? {
        headers[name.lowercased()]
    }

    /// The body decoded as UTF-8 (invalid sequences are repaired with U+FFFD).
    package var bodyString: String { String(decoding: body, as: UTF8.self) }
}
