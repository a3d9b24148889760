/// A parsed JSON document: what probes read out of response bodies (assertions, extractions, session ids) and
/// what the simulated API reads out of requests.
///
/// Objects keep their members in document order; when a key repeats, lookups see the last one, as most parsers
/// do. Numbers keep their source text, so an extracted number reads exactly as the API wrote it.
package indirect enum JSONNode: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's value and its text in the document.
    case number(Double, text: String)
    case string(String)
    case array([JSONNode])
    case object([(key: String, value: JSONNode)])

    /// Parses a whole document (any value at the top, surrounded by optional whitespace); `nil` when `bytes` is
    /// not JSON or nests deeper than ``JSONParser/maximumDepth``.
    package init?(parsing bytes: [UInt8]) {
        guard let node = JSONParser.parse(bytes) else { return nil }
        self = node
    }

    /// The member `key` of an object (the last, if the key repeats); `nil` for a missing key or a non-object.
    package subscript(key: String) -> JSONNode? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    /// Element `index` of an array; `nil` out of range or for a non-array.
    package subscript(index: Int) -> JSONNode? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// The string, if this is one.
    package var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// Follows a dotted path with optional `[index]` steps, e.g. `data.items[0].id`.
    package func lookup(_ path: String) -> JSONNode? {
        var current = self
        for component in path.split(separator: ".") {
            var name = Substring(component)
            var indexes: [Int] = []
            while let open = name.lastIndex(of: "["), name.hasSuffix("]"),
                let index = Int(name[name.index(after: open)..<name.index(before: name.endIndex)])
            {
                indexes.insert(index, at: 0)
                name = name[..<open]
            }
            if !name.isEmpty {
                guard let next = current[String(name)] else { return nil }
                current = next
            }
            for index in indexes {
                guard let next = current[index] else { return nil }
                current = next
            }
        }
        return current
    }

    /// Compact JSON text: numbers as written in the source, strings escaped, members in document order.
    package var text: String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .number(_, let text): out += text
        case .string(let value): out += JSONText.quoted(value)
        case .array(let elements):
            out += "["
            for (i, element) in elements.enumerated() {
                if i > 0 { out += "," }
                element.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, member) in members.enumerated() {
                if i > 0 { out += "," }
                out += JSONText.quoted(member.key)
                out += ":"
                member.value.write(to: &out)
            }
            out += "}"
        }
    }

    package static func == (lhs: JSONNode, rhs: JSONNode) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a, _), .number(let b, _)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }
}
