/// An accepted HTTP status: an exact code (`200`) or a class (`"2xx"`, stored as `.cls(2)`).
package enum StatusMatcher: Sendable, Equatable, CustomStringConvertible {
    case exact(Int)
    case cls(Int)

    /// Whether `status` is accepted by this matcher.
    package func matches(_ status: Int) -> Bool {
        switch self {
        case .exact(let code): return status == code
        case .cls(let digit): return status / 100 == digit && status >= 100
        }
    }

    /// `200` or `2xx`.
    package var description: String {
        switch self {
        case .exact(let code): return String(code)
        case .cls(let digit): return "\(digit)xx"
        }
    }
}
