/// One outgoing HTTP request, with the transfer settings a probe or a receiver chooses.
public struct ClientRequest: Sendable {
    /// Absolute `http` or `https` URL.
    public var url: String
    /// HTTP method, e.g. `GET` or `POST`.
    public var method: String
    /// Header fields in the order they are sent.
    public var headers: [(name: String, value: String)]
    /// Request body, sent as is.
    public var body: [UInt8]?
    /// Limit for the whole transfer, connection set-up included.
    public var timeout: Duration
    /// Responses larger than this abort the transfer with ``TransferErrorKind/bodyTooLarge``.
    public var maxBodyBytes: Int
    /// When true (the default) every transfer opens and closes its own connection, and DNS and TLS sessions
    /// are not cached, so each phase is measured every time, as blackbox_exporter does.
    public var freshConnection: Bool
    /// Skips TLS certificate verification (self-signed targets).
    public var insecureSkipVerify: Bool
    /// PEM file with the CA certificates to trust instead of the system store.
    public var caFile: String?

    /// Creates a request.
    public init(
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
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }
}
