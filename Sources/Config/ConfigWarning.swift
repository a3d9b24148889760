/// Something in a configuration that is accepted but probably not meant, located like a ``ConfigError``.
///
/// The description has the same form as an error,
/// `config.yml:3:13: global.interval: interval 500ms is under 1s; slaprobe is a low-rate prober`, and is printed
/// by `check-config` and logged when the configuration is loaded or reloaded.
package struct ConfigWarning: CustomStringConvertible, Equatable, Sendable {
    /// The configuration file as it was named to the loader (or `<command line>`).
    package var file: String
    /// The 1-based line of the node the warning is about, when known.
    package var line: Int?
    /// The 1-based column of the node the warning is about, when known.
    package var column: Int?
    /// The dotted key path, e.g. `probes[1].interval`.
    package var key: String
    /// What may be wrong, in words meant for the person editing the file.
    package var message: String

    /// Creates a warning.
    package init(file: String, line: Int? = nil, column: Int? = nil, key: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    package var description: String {
        ConfigError(file: file, line: line, column: column, key: key, message: message).description
    }
}
