import Config
import Foundation

/// Checks a response body against a probe's ``BodyAssertion``s.
enum BodyAssertionCheck {
    /// `nil` when every assertion holds, otherwise a description of the first that does not.
    static func firstFailure(of assertions: [BodyAssertion], body: [UInt8]) -> String? {
        guard !assertions.isEmpty else { return nil }
        let text = String(decoding: body, as: UTF8.self)
        var json: Any??
        func parsed() -> Any? {
            if json == nil {
                json = .some(try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]))
            }
            return json!
        }
        for assertion in assertions {
            switch assertion {
            case .jsonPresent(let path):
                guard let document = parsed() else { return "body is not JSON (json_path \(path))" }
                if lookup(path, in: document) == nil { return "json_path \(path) is missing" }
            case .jsonEquals(let path, let expected):
                guard let document = parsed() else { return "body is not JSON (json_path \(path))" }
                guard let found = lookup(path, in: document) else { return "json_path \(path) is missing" }
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

    /// Follows a dotted path with optional `[index]` steps, e.g. `data.items[0].id`.
    static func lookup(_ path: String, in document: Any) -> Any? {
        var current: Any? = document
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
                guard let object = current as? [String: Any], let next = object[String(name)] else { return nil }
                current = next
            }
            for index in indexes {
                guard let array = current as? [Any], array.indices.contains(index) else { return nil }
                current = array[index]
            }
        }
        return current
    }

    private static func matches(_ found: Any, _ expected: JSONValue) -> Bool {
        switch expected {
        case .null: return found is NSNull
        case .string(let value): return (found as? String) == value
        case .bool(let value): return (found as? Bool) == value
        case .number(let value):
            guard let number = found as? NSNumber else { return false }
            return number.doubleValue == value
        }
    }

    private static func describe(_ value: Any) -> String {
        if value is NSNull { return "null" }
        if let string = value as? String { return "\"\(string.prefix(64))\"" }
        return String(describing: value).prefix(64).description
    }

    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .string(let s): return "\"\(s)\""
        case .bool(let b): return String(b)
        case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
        }
    }

    private static func regexMatches(_ pattern: String, _ text: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return false }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
