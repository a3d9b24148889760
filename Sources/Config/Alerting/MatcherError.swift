/// Why a label matcher is not valid.
package enum MatcherError: Error, Equatable, CustomStringConvertible {
    /// Not `name<op>value`.
    case syntax(String)
    /// The name is not a Prometheus label name.
    case invalidName(String)
    /// The regex does not compile.
    case invalidRegex(String)

    package var description: String {
        switch self {
        case .syntax(let text):
            return
                "\"\(text)\" is not a matcher like name=\"value\", name!=\"value\", name=~\"regex\" or name!~\"regex\""
        case .invalidName(let name): return "\"\(name)\" is not a valid label name"
        case .invalidRegex(let pattern): return "\"\(pattern)\" is not a valid regular expression"
        }
    }
}
