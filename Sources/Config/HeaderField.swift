/// One request header, in configuration order; the value may contain `{{uuid}}`, `{{now}}`, `{{unix}}`
/// and `{{request_id}}` placeholders.
public struct HeaderField: Sendable, Equatable {
    /// The header name as written.
    public var name: String
    /// The header value template.
    public var value: String

    /// Creates a header field.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
