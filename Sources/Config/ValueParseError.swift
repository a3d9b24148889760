/// A malformed duration or byte size, as thrown by ``parseDuration(_:)`` and ``parseByteSize(_:)``.
public struct ValueParseError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What is wrong with the value, naming the value.
    public var message: String

    /// Creates the error.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
