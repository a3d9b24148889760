/// Writes small JSON documents with their keys in a fixed order (JSONSerialization does not keep order).
package enum JSONText {
    /// A JSON value to write.
    package enum Value: Sendable {
        /// A string, escaped.
        case string(String)
        /// Already-encoded JSON, written as is.
        case raw(String)
    }

    /// An object with the members in the given order.
    package static func object(_ members: [(String, Value)]) -> String {
        var text = "{"
        for (index, member) in members.enumerated() {
            if index > 0 { text += "," }
            text += quoted(member.0) + ":"
            switch member.1 {
            case .string(let value): text += quoted(value)
            case .raw(let json): text += json
            }
        }
        return text + "}"
    }

    /// A JSON string literal.
    package static func quoted(_ value: String) -> String {
        var text = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }
}
