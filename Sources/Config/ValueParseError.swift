/// A malformed duration or byte size, as thrown by ``parseDuration(_:)`` and ``parseByteSize(_:)``.
package struct ValueParseError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What is wrong with the value, naming the value.
    package var message: String

    /// Creates the error.
    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }
}
