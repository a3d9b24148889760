/// One problem found in a slaprobe configuration, located by file, line and key path.
///
/// The description has the compiler-like form
/// `config.yml:12:5: probes[1].timeout: timeout 10s must not exceed the probe interval 5s`.
/// Messages never contain secret values, only the names of the keys, files and environment variables
/// that hold them. Control characters (a probe named `"new\nline"`) are written escaped, as `\n` or `\u{1B}`, so
/// each error stays on one line.
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
        var location = Self.escaped(file)
        if let line {
            location += ":\(line)"
            if let column {
                location += ":\(column)"
            }
        }
        if key.isEmpty {
            return "\(location): \(Self.escaped(message))"
        }
        return "\(location): \(Self.escaped(key)): \(Self.escaped(message))"
    }

    /// `text` with its control characters (C0, DEL, C1, and the Unicode line and paragraph separators) escaped.
    static func escaped(_ text: String) -> String {
        func isControl(_ scalar: Unicode.Scalar) -> Bool {
            scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
        }
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where isControl(c): out += "\\u{" + String(c.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
