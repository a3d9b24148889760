/// Every problem found while loading a configuration; the loader throws this, never a bare ``ConfigError``.
///
/// The description lists one ``ConfigError`` per line, in file order.
public struct ConfigErrors: Error, CustomStringConvertible, Equatable, Sendable {
    /// The problems, sorted by line (problems without a line come last).
    public var errors: [ConfigError]

    /// Creates the error list.
    public init(_ errors: [ConfigError]) {
        self.errors = errors
    }

    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
