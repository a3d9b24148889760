/// Something in a configuration that is accepted but probably not meant, located like a ``ConfigError``.
///
/// The description has the same form as an error,
/// `config.yml:3:13: global.interval: interval 500ms is under 1s; slaprobe is a low-rate prober`, and is printed
/// by `check-config` and logged when the configuration is loaded or reloaded. Location and message are read
/// through to the located ``problem``, so warnings and errors share one shape and one escaping.
@dynamicMemberLookup
package struct ConfigWarning: CustomStringConvertible, Equatable, Sendable {
    /// Where and what, in the form of an error.
    package var problem: ConfigError

    /// Creates a warning.
    package init(file: String, line: Int? = nil, column: Int? = nil, key: String, message: String) {
        problem = ConfigError(file: file, line: line, column: column, key: key, message: message)
    }

    /// The file, line, column, key and message of ``problem``.
    package subscript<Value>(dynamicMember keyPath: WritableKeyPath<ConfigError, Value>) -> Value {
        get { problem[keyPath: keyPath] }
        set { problem[keyPath: keyPath] = newValue }
    }

    package var description: String { problem.description }
}
