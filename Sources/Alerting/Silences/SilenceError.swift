/// Why the silences API refused a request, with the HTTP status it answers.
package enum SilenceError: Error, Equatable, CustomStringConvertible {
    /// The request is malformed or not a valid silence (400).
    case invalid(String)
    /// No silence has this id (404).
    case notFound(String)
    /// The silences could not be written to disk; nothing changed (500).
    case storage(String)

    /// The HTTP status to answer with.
    package var status: Int {
        switch self {
        case .invalid: return 400
        case .notFound: return 404
        case .storage: return 500
        }
    }

    package var description: String {
        switch self {
        case .invalid(let message): return message
        case .notFound(let id): return "silence \(id) not found"
        case .storage(let message): return "cannot save silences: \(message)"
        }
    }
}
