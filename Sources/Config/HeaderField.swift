/// One request header, in configuration order; the value may contain `{{uuid}}`, `{{now}}`, `{{unix}}`
/// and `{{request_id}}` placeholders.
package struct HeaderField: Sendable, Equatable {
    /// The header name as written.
    package var name: String
    /// The header value template.
    package var value: String

    /// Creates a header field.
    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
