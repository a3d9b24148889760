import Config
import FoundationEssentials
import JSON
import Logging

/// How log lines are written: the two formats Prometheus exporters offer.
package enum LogFormat: String, Sendable, CaseIterable {
    /// `ts=... level=info msg="..." key=value`
    case logfmt
    /// One JSON object per line. A value that is a number or `true`/`false` is written as a JSON number or boolean
    /// (`"probes":3`), except for the fields that name or identify something, which stay strings.
    case json
}

/// A swift-log handler writing logfmt or JSON lines to standard error, the way Prometheus exporters log.
package struct LineLogHandler: LogHandler {
    /// The format of every line.
    package let format: LogFormat
    /// The logger's label, written as `logger=`.
    package let label: String
    package var logLevel: Logger.Level
    package var metadata: Logger.Metadata = [:]

    /// Creates a handler.
    package init(label: String, format: LogFormat, level: Logger.Level) {
        self.label = label
        self.format = format
        self.logLevel = level
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var fields: [(String, String)] = [
            ("ts", Self.timestamp()), ("level", event.level.rawValue), ("logger", label), ("msg", "\(event.message)"),
        ]
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for key in merged.keys.sorted() { fields.append((key, "\(merged[key]!)")) }
        var line = format == .json ? Self.json(fields) : Self.logfmt(fields)
        line += "\n"
        StandardError.write(line)
    }

    static func logfmt(_ fields: [(String, String)]) -> String {
        fields.map { key, value in
            let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "\n" }
            guard needsQuotes else { return "\(key)=\(value)" }
            let escaped = value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
                .replacing("\n", with: "\\n")
            return "\(key)=\"\(escaped)\""
        }.joined(separator: " ")
    }

    static func json(_ fields: [(String, String)]) -> String {
        "{"
            + fields.map { key, value in "\(JSONText.quoted(key)):\(jsonValue(value, key: key))" }.joined(
                separator: ","
            )
            + "}"
    }

    /// Fields that stay strings whatever they hold: a probe or receiver named `42` is a name, not a number.
    static let textFields: Set<String> = [
        "ts", "level", "logger", "msg", "probe", "receiver", "name", "id", "group", "fingerprint", "request_id",
        "trace_id", "step",
        "version", "revision", "file", "address", "url", "error", "config",
    ]

    /// `value` as a JSON number or boolean when it is one, else as a string. Integers of more than 15 digits stay
    /// strings, since a JSON reader would round them.
    static func jsonValue(_ value: String, key: String) -> String {
        guard !textFields.contains(key) else { return JSONText.quoted(value) }
        if value == "true" || value == "false" { return value }
        return isJSONNumber(value) ? value : JSONText.quoted(value)
    }

    /// Whether `text` is a JSON number (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`) with at most 15 integer
    /// digits.
    static func isJSONNumber(_ text: String) -> Bool {
        var rest = Substring(text)
        func digits() -> Int {
            let count = rest.prefix { ("0"..."9").contains($0) }.count
            rest = rest.dropFirst(count)
            return count
        }
        if rest.first == "-" { rest = rest.dropFirst() }
        let leadingZero = rest.first == "0"
        let integer = digits()
        guard integer > 0, integer <= 15, !(leadingZero && integer > 1) else { return false }
        if rest.first == "." {
            rest = rest.dropFirst()
            guard digits() > 0 else { return false }
        }
        if rest.first == "e" || rest.first == "E" {
            rest = rest.dropFirst()
            if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return rest.isEmpty
    }

    static func timestamp() -> String {
        RFC3339Timestamp.formatMilliseconds(Date().timeIntervalSince1970)
    }
}
