/// YAML syntax errors in words for the person editing the file: libyaml's wording (token names, its own
/// function names) is translated, and the document is never quoted.
extension ConfigParser {
    /// Converts a ``YAMLError`` into a located error without quoting the document.
    func syntaxError(_ error: YAMLError, yaml: String) -> ConfigError {
        switch error {
        case .syntax(let problem, let mark, let context):
            let (translated, keepsContext) = Self.translate(problem, character: Self.character(at: mark, in: yaml))
            var message = "YAML syntax error: \(translated)"
            if let context, keepsContext, !Self.internalContexts.contains(context.text) {
                message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            return ConfigError(file: file, line: mark.line, column: mark.column, key: "", message: message)
        case .nestingTooDeep(let limit, let mark):
            return ConfigError(
                file: file,
                line: mark.line,
                column: mark.column,
                key: "",
                message: "YAML syntax error: nesting deeper than \(limit) levels"
            )
        case .aliasExpansion(let limit, let mark):
            return ConfigError(
                file: file,
                line: mark.line,
                column: mark.column,
                key: "",
                message: "YAML syntax error: aliases (*name) would stand for more than \(limit) values"
            )
        case .duplicateKeys(let keys, let mark):
            let names = keys.map { "\"\($0)\"" }.joined(separator: ", ")
            return ConfigError(
                file: file,
                line: mark.line,
                column: mark.column,
                key: "",
                message: "duplicate key \(names) in the same mapping"
            )
        case .reader(let problem, let byteOffset):
            let mark = Self.characterOffset(ofByte: byteOffset, in: yaml).flatMap {
                Self.mark(atCharacter: $0, in: yaml)
            }
            return ConfigError(
                file: file,
                line: mark?.line,
                column: mark?.column,
                key: "",
                message: "cannot read YAML: \(problem)"
            )
        case .memory:
            return ConfigError(file: file, key: "", message: "invalid YAML: the document is too large to parse")
        }
    }

    /// Contexts that name libyaml's internals rather than anything in the document.
    static let internalContexts: Set<String> = ["while parsing", "while scanning for the next token"]

    /// libyaml's problem in plain words, and whether its context ("while parsing a flow sequence at …") helps.
    static func translate(_ problem: String, character: Character?) -> (message: String, keepsContext: Bool) {
        switch problem {
        case "found character that cannot start any token":
            if character == "\t" {
                return ("a tab cannot be used for indentation; use spaces", false)
            }
            let shown = character.map { " \"\($0)\"" } ?? ""
            return ("a value cannot start with the character\(shown); put the value in quotes", false)
        case "did not find expected <document start>":
            return ("expected \"---\" before another document", false)
        case "did not find expected <stream-start>":
            return ("the document could not be started", false)
        case "mapping values are not allowed in this context":
            return ("\": \" is not allowed here; quote a value that contains \": \", or check the indentation", true)
        case "block sequence entries are not allowed in this context":
            return ("a list entry \"- \" is not allowed here; check the indentation", true)
        case "did not find expected key":
            return ("expected a key; check the indentation", true)
        case "could not find expected ':'":
            return ("expected \":\" after a key", true)
        case "did not find expected node content":
            return ("expected a value", true)
        case "found undefined alias":
            return ("an alias (*name) refers to no anchor (&name) defined before it", false)
        case "did not find expected hexdecimal number":
            return ("expected a hexadecimal number", true)
        default:
            return (problem, true)
        }
    }

    /// The character at a 1-based line and column (counted in Unicode scalars, as libyaml counts them).
    static func character(at mark: YAMLNode.Mark, in yaml: String) -> Character? {
        var line = 1
        var column = 1
        for scalar in yaml.unicodeScalars {
            if line == mark.line, column == mark.column {
                return Character(scalar)
            }
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return nil
    }

    /// The number of characters before the one starting at UTF-8 byte `offset`.
    static func characterOffset(ofByte offset: Int, in yaml: String) -> Int? {
        guard let index = yaml.utf8.index(yaml.utf8.startIndex, offsetBy: offset, limitedBy: yaml.utf8.endIndex),
            let character = index.samePosition(in: yaml)
        else {
            return nil
        }
        return yaml.distance(from: yaml.startIndex, to: character)
    }

    /// The 1-based line and column of the character at `offset` (characters from the start).
    static func mark(atCharacter offset: Int, in yaml: String) -> (line: Int, column: Int)? {
        var line = 1
        var column = 1
        for (index, character) in yaml.enumerated() {
            if index == offset {
                return (line, column)
            }
            if character == "\n" || character == "\r\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return nil
    }
}
