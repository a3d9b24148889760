/// A secret (API key, webhook signing secret) whose value never appears in descriptions, dumps or errors.
///
/// `String(describing:)`, `String(reflecting:)` and `dump` all show `<secret>`; read ``value`` only
/// to build a request.
package struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The raw secret. Use it only to build requests; never log it.
    package var value: String

    /// Wraps a raw secret value.
    package init(_ value: String) {
        self.value = value
    }

    package var description: String { "<secret>" }

    package var debugDescription: String { "<secret>" }

    package var customMirror: Mirror {
        Mirror(self, children: [], displayStyle: .struct)
    }
}
