/// TLS verification settings for a probe's requests.
public struct TLSSettings: Sendable, Equatable {
    /// Skip certificate verification (still measures the handshake and expiry).
    public var insecureSkipVerify: Bool
    /// An absolute path to a PEM CA bundle checked to exist at load time, or nil for the system store.
    public var caFile: String?

    /// Creates TLS settings; the defaults verify against the system store.
    public init(insecureSkipVerify: Bool = false, caFile: String? = nil) {
        self.insecureSkipVerify = insecureSkipVerify
        self.caFile = caFile
    }
}
