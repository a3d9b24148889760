/// Why ``YAMLParser`` refused a document; every case but ``memory`` says where.
package enum YAMLError: Error, Sendable, CustomStringConvertible {
    /// libyaml's scanner or parser refused the text, or the composer did (an alias to no anchor, a second
    /// document). `problem` and the context's text are libyaml's words.
    case syntax(problem: String, mark: YAMLNode.Mark, context: Context?)
    /// The bytes are not readable text (invalid UTF-8, a control character), at `byteOffset` from the start.
    case reader(problem: String, byteOffset: Int)
    /// A mapping has keys that are equal; `keys` are their texts, sorted, located at the first of them.
    case duplicateKeys(_ keys: [String], mark: YAMLNode.Mark)
    /// Collections nest deeper than `limit` levels.
    case nestingTooDeep(limit: Int, mark: YAMLNode.Mark)
    /// Aliases would expand to more than `limit` nodes (the "billion laughs" document).
    case aliasExpansion(limit: Int, mark: YAMLNode.Mark)
    /// libyaml could not allocate memory.
    case memory

    /// What libyaml was reading when it found a problem, such as "while parsing a flow sequence".
    package struct Context: Sendable, Hashable {
        package var text: String
        package var mark: YAMLNode.Mark

        package init(text: String, mark: YAMLNode.Mark) {
            self.text = text
            self.mark = mark
        }
    }

    package var description: String {
        switch self {
        case .syntax(let problem, let mark, let context):
            let context = context.map { " (\($0.text) at \($0.mark))" } ?? ""
            return "\(mark): \(problem)\(context)"
        case .reader(let problem, let byteOffset):
            return "byte \(byteOffset): \(problem)"
        case .duplicateKeys(let keys, let mark):
            return "\(mark): duplicate key \(keys.map { "\"\($0)\"" }.joined(separator: ", ")) in the same mapping"
        case .nestingTooDeep(let limit, let mark):
            return "\(mark): nesting deeper than \(limit) levels"
        case .aliasExpansion(let limit, let mark):
            return "\(mark): aliases expand to more than \(limit) nodes"
        case .memory:
            return "out of memory"
        }
    }
}
