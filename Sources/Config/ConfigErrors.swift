/// Every problem found while loading a configuration; the loader throws this, never a bare ``ConfigError``.
///
/// The description lists one ``ConfigError`` per line, in file order.
package struct ConfigErrors: Error, CustomStringConvertible, Equatable, Sendable {
    /// The problems, sorted by line (problems without a line come last).
    package var errors: [ConfigError]

    /// Creates the error list.
    package init(_ errors: [ConfigError]) {
        self.errors = errors
    }

    package var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
