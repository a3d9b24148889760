/// One outgoing HTTP request, with the transfer settings a probe or a receiver chooses.
package struct ClientRequest: Sendable {
    /// Absolute `http` or `https` URL.
    package var url: String
    /// HTTP method, e.g. `GET` or `POST`.
    package var method: String
    /// Header fields in the order they are sent.
    package var headers: [(name: String, value: String)]
    /// Request body, sent as is.
    package var body: [UInt8]?
    /// Limit for the whole transfer, connection set-up included.
    package var timeout: Duration
    /// Responses larger than this abort the transfer with ``TransferErrorKind/bodyTooLarge``.
    package var maxBodyBytes: Int
    /// When true (the default) every transfer opens and closes its own connection, and DNS and TLS sessions
    /// are not cached, so each phase is measured every time, as blackbox_exporter does.
    package var freshConnection: Bool
    /// Skips TLS certificate verification (self-signed targets).
    package var insecureSkipVerify: Bool
    /// PEM file with the CA certificates to trust instead of the system store.
    package var caFile: String?

    /// Creates a request.
    package init(
        url: String,
        method: String = "GET",
        headers: [(name: String, value: String)] = [],
        body: [UInt8]? = nil,
        timeout: Duration = .seconds(5),
        maxBodyBytes: Int = 1 << 20,
        freshConnection: Bool = true,
        insecureSkipVerify: Bool = false,
        caFile: String? = nil
    ) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
        self.freshConnection = freshConnection
        self.insecureSkipVerify = insecureSkipVerify
        self.caFile = caFile
    }

    /// The value of the first header with this name, compared case-insensitively.
    package func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }
}
