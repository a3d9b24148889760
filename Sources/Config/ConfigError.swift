/// One problem found in a slaprobe configuration, located by file, line and key path.
///
/// The description has the compiler-like form
/// `config.yml:12:5: probes[1].timeout: timeout 10s must not exceed the probe interval 5s`.
/// Messages never contain secret values, only the names of the keys, files and environment variables
/// that hold them.
package struct ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The configuration file as it was named to the loader (or `<command line>`).
    package var file: String
    /// The 1-based line of the offending node, when known.
    package var line: Int?
    /// The 1-based column of the offending node, when known.
    package var column: Int?
    /// The dotted key path, e.g. `probes[1].timeout`; empty for problems with the whole document.
    package var key: String
    /// What is wrong, in words meant for the person editing the file.
    package var message: String

    /// Creates an error.
    package init(file: String, line: Int? = nil, column: Int? = nil, key: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    package var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column {
                location += ":\(column)"
            }
        }
        if key.isEmpty {
            return "\(location): \(message)"
        }
        return "\(location): \(key): \(message)"
    }
}
