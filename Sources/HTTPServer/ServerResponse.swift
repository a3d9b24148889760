/// A response the handler returns.
package struct ServerResponse: Sendable {
    /// The payload of a response.
    package enum Body: Sendable {
        /// A body held in memory.
        case bytes([UInt8])
        /// `count` copies of `byte`, produced in blocks while the client reads; never allocated whole.
        /// Content-Length is set to `count`. Used to serve large (e.g. 50 MB) bodies cheaply.
        case repeated(byte: UInt8, count: Int)
        /// Written while the client reads it, a block at a time, with chunked transfer encoding (no
        /// Content-Length): a large body that is never held whole.
        case stream(any ResponseStream)

        /// The number of bytes the body has; `nil` for a stream, whose length is known only at its end.
        package var count: Int? {
            switch self {
            case .bytes(let bytes): return bytes.count
            case .repeated(_, let count): return max(0, count)
            case .stream: return nil
            }
        }
    }

    /// The HTTP status code; values outside 100...999 are sent as 500.
    package var status: Int
    /// Response headers in order. Content-Length and Transfer-Encoding are computed by the server and
    /// ignored here; a Date header is added automatically.
    package var headers: [(String, String)]
    /// The payload.
    package var body: Body

    /// Builds a response.
    package init(status: Int = 200, headers: [(String, String)] = [], body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A UTF-8 text response.
    package static func text(
        _ s: String,
        status: Int = 200,
        contentType: String = "text/plain; charset=utf-8"
    ) -> ServerResponse {
        ServerResponse(status: status, headers: [("Content-Type", contentType)], body: .bytes(Array(s.utf8)))
    }

    /// A JSON response; `s` must already be serialized JSON.
    package static func json(_ s: String, status: Int = 200) -> ServerResponse {
        text(s, status: status, contentType: "application/json")
    }

    /// An HTML response.
    package static func html(_ s: String, status: Int = 200) -> ServerResponse {
        text(s, status: status, contentType: "text/html; charset=utf-8")
    }

    /// The first value of a header, looked up case-insensitively.
    package func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.0.lowercased() == lowered }?.1
    }
}

/// A response body produced while the client reads it (``ServerResponse/Body/stream(_:)``).
package protocol ResponseStream: AnyObject, Sendable {
    /// Writes the next bytes of the body into `buffer` and returns how many: at least one, or 0 once the body is
    /// complete. Called on the server thread sending the response, one call at a time, until it returns 0 or the
    /// client goes away.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int
}
