/// Why the alerting module could not start or persist something; every message says what to fix.
package enum AlertingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The configuration has problems, each naming the field.
    case invalidConfiguration([String])
    /// A file operation on the outbox or the state file failed.
    case file(operation: String, path: String, reason: String)
    /// The state file exists but cannot be read as alert state.
    case unreadableState(path: String, reason: String)

    package var description: String {
        switch self {
        case .invalidConfiguration(let problems):
            return "invalid alerting configuration: " + problems.joined(separator: "; ")
        case .file(let operation, let path, let reason):
            return "cannot \(operation) \(path): \(reason); check that the directory exists and is writable"
        case .unreadableState(let path, let reason):
            return "cannot read alert state from \(path): \(reason); move the file away to start with no alert state"
        }
    }
}
