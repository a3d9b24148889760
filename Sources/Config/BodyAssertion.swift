/// A check on the response body.
///
/// JSON paths are dotted with optional indexes, e.g. `data.items[0].id`; regexes are
/// Swift `Regex` patterns (PCRE-like syntax, matched by Unicode scalar) already checked to compile.
package enum BodyAssertion: Sendable, Equatable {
    /// The JSON field at `path` must exist (any value, including null).
    case jsonPresent(path: String)
    /// The JSON field at `path` must equal `value`.
    case jsonEquals(path: String, value: JSONValue)
    /// The body must match the pattern.
    case regex(String)
    /// The body must not match the pattern.
    case notRegex(String)
}
