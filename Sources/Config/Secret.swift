/// A secret (API key, webhook signing secret) whose value never appears in descriptions, dumps or errors.
///
/// `String(describing:)`, `String(reflecting:)` and `dump` all show `<secret>`; read ``value`` only
/// to build a request.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The raw secret. Use it only to build requests; never log it.
    public var value: String

    /// Wraps a raw secret value.
    public init(_ value: String) {
        self.value = value
    }

    public var description: String { "<secret>" }

    public var debugDescription: String { "<secret>" }

    public var customMirror: Mirror {
        Mirror(self, children: [], displayStyle: .struct)
    }
}
