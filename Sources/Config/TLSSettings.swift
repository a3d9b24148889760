/// TLS verification settings for a probe's requests.
package struct TLSSettings: Sendable, Equatable {
    /// Skip certificate verification (still measures the handshake and expiry).
    package var insecureSkipVerify: Bool
    /// An absolute path to a PEM CA bundle checked to exist at load time, or nil for the system store.
    package var caFile: String?

    /// Creates TLS settings; the defaults verify against the system store.
    package init(insecureSkipVerify: Bool = false, caFile: String? = nil) {
        self.insecureSkipVerify = insecureSkipVerify
        self.caFile = caFile
    }
}
