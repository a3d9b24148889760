import Config
import JSON

/// Checks a response body against a probe's ``BodyAssertion``s.
enum BodyAssertionCheck {
    /// `nil` when every assertion holds, otherwise a description of the first that does not.
    static func firstFailure(of assertions: [BodyAssertion], body: [UInt8]) -> String? {
        guard !assertions.isEmpty else { return nil }
        let text = String(decoding: body, as: UTF8.self)
        var json: JSONNode??
        func parsed() -> JSONNode? {
            if json == nil { json = .some(JSONNode(parsing: body)) }
            return json!
        }
        for assertion in assertions {
            switch assertion {
            case .jsonPresent(let path):
                guard let document = parsed() else { return "body is not JSON (json_path \(path))" }
                if document.lookup(path) == nil { return "json_path \(path) is missing" }
            case .jsonEquals(let path, let expected):
                guard let document = parsed() else { return "body is not JSON (json_path \(path))" }
                guard let found = document.lookup(path) else { return "json_path \(path) is missing" }
                if !matches(found, expected) {
                    return "json_path \(path) is \(describe(found)), expected \(describe(expected))"
                }
            case .regex(let pattern):
                if !regexMatches(pattern, text) { return "body does not match regex \(pattern)" }
            case .notRegex(let pattern):
                if regexMatches(pattern, text) { return "body matches forbidden regex \(pattern)" }
            }
        }
        return nil
    }

    private static func matches(_ found: JSONNode, _ expected: JSONValue) -> Bool {
        switch (expected, found) {
        case (.null, .null): true
        case (.string(let value), .string(let actual)): actual == value
        case (.bool(let value), .bool(let actual)): actual == value
        case (.number(let value), .number(let actual, _)): actual == value
        default: false
        }
    }

    private static func describe(_ value: JSONNode) -> String {
        if case .string(let string) = value { return "\"\(string.prefix(64))\"" }
        return String(value.text.prefix(64))
    }

    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .string(let s): return "\"\(s)\""
        case .bool(let b): return String(b)
        case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
        }
    }

    /// Whether `pattern` matches anywhere in `text`, matched by Unicode scalar (as ICU and PCRE match, rather than
    /// by grapheme cluster). The config refuses a pattern that does not compile, so `false` for one is a backstop.
    private static func regexMatches(_ pattern: String, _ text: String) -> Bool {
        guard let regex = RegexCache.plain.compile(pattern) else { return false }
        return text.contains(regex)
    }
}
