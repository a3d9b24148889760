import Yams

/// YAML syntax errors in words for the person editing the file: libyaml's wording (token names, its own
/// function names) is translated, and the document is never quoted.
extension ConfigParser {
    /// How deep collections may nest (libyaml's limit).
    static let nestingLimit = 1000

    /// Converts a Yams error into a located error without quoting the document.
    func syntaxError(_ error: Error, yaml: String) -> ConfigError {
        guard let yamlError = error as? YamlError else {
            return ConfigError(file: file, key: "", message: "invalid YAML")
        }
        func located(_ context: YamlError.Context?, _ problem: String, _ mark: Mark) -> ConfigError {
            let (translated, keepsContext) = Self.translate(problem, character: Self.character(at: mark, in: yaml))
            var message = "YAML syntax error: \(translated)"
            if let context, keepsContext, !Self.internalContexts.contains(context.text) {
                message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            return ConfigError(file: file, line: mark.line, column: mark.column, key: "", message: message)
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _):
            return located(context, problem, mark)
        case .parser(let context, let problem, let mark, _):
            return located(context, problem, mark)
        case .composer(let context, let problem, let mark, _):
            return located(context, problem, mark)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            return ConfigError(
                file: file,
                line: context.mark.line,
                column: context.mark.column,
                key: "",
                message: "duplicate key \(names) in the same mapping"
            )
        case .reader(let problem, let offset, _, _):
            let mark = offset.flatMap { Self.mark(atCharacter: $0, in: yaml) }
            return ConfigError(
                file: file,
                line: mark?.line,
                column: mark?.column,
                key: "",
                message: "cannot read YAML: \(problem)"
            )
        case .memory:
            return ConfigError(file: file, key: "", message: "invalid YAML: the document is too large to parse")
        case .dataCouldNotBeDecoded:
            return ConfigError(file: file, key: "", message: "the configuration file is not UTF-8 text")
        default:
            return ConfigError(file: file, key: "", message: "invalid YAML")
        }
    }

    /// Contexts that name libyaml's internals rather than anything in the document.
    static let internalContexts: Set<String> = ["while parsing", "while scanning for the next token"]

    /// libyaml's problem in plain words, and whether its context ("while parsing a flow sequence at …") helps.
    static func translate(_ problem: String, character: Character?) -> (message: String, keepsContext: Bool) {
        switch problem {
        case _ where problem.hasPrefix("Maximum nesting level reached"):
            return ("nesting deeper than \(nestingLimit) levels", false)
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
    static func character(at mark: Mark, in yaml: String) -> Character? {
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
