import FoundationEssentials

/// One label matcher, as Alertmanager's silences and Prometheus' selectors spell them: `name="value"`,
/// `name!="value"`, `name=~"regex"`, `name!~"regex"`.
///
/// A regex is anchored at both ends (it must match the whole value), and a label the alert does not have
/// counts as the empty value, both as in Alertmanager.
package struct LabelMatcher: Sendable, Equatable, Hashable, Codable {
    /// The four operators.
    package enum Operator: String, Sendable, Codable, CaseIterable {
        /// `=`: the value equals.
        case equal = "="
        /// `!=`: the value differs.
        case notEqual = "!="
        /// `=~`: the regex matches the whole value.
        case regex = "=~"
        /// `!~`: the regex does not match the whole value.
        case notRegex = "!~"
    }

    /// The label name.
    package var name: String
    /// The value, or the pattern of a regex operator.
    package var value: String
    /// How ``value`` is compared.
    package var op: Operator

    /// Alertmanager's `isRegex`.
    package var isRegex: Bool { op == .regex || op == .notRegex }
    /// Alertmanager's `isEqual`: false for the negated operators.
    package var isEqual: Bool { op == .equal || op == .regex }

    /// Creates a matcher, checking that the name is a label name and a regex compiles.
    package init(name: String, value: String, op: Operator) throws(MatcherError) {
        guard LabelName.isValid(name) else { throw .invalidName(name) }
        if op == .regex || op == .notRegex {
            guard RegexCache.shared.compile(value) != nil else { throw .invalidRegex(value) }
        }
        self.name = name
        self.value = value
        self.op = op
    }

    /// Creates a matcher from Alertmanager's API fields.
    package init(name: String, value: String, isRegex: Bool, isEqual: Bool) throws(MatcherError) {
        let op: Operator =
            switch (isRegex, isEqual) {
            case (false, true): .equal
            case (false, false): .notEqual
            case (true, true): .regex
            case (true, false): .notRegex
            }
        try self.init(name: name, value: value, op: op)
    }

    /// Parses `name="value"` (any of the four operators; the quotes may be left out, as amtool allows). The
    /// operator is the first `=` or `!` in the text, so `a="b!=c"` is `a` equal to `b!=c`.
    package init(parsing text: String) throws(MatcherError) {
        let characters = Array(text.trimmed())
        guard let index = characters.firstIndex(where: { $0 == "=" || $0 == "!" }) else { throw .syntax(text) }
        let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
        let op: Operator
        switch (characters[index], next) {
        case ("=", "~"): op = .regex
        case ("=", _): op = .equal
        case ("!", "="): op = .notEqual
        case ("!", "~"): op = .notRegex
        default: throw .syntax(text)
        }
        let name = String(characters[..<index]).trimmed()
        var value = String(characters[(index + op.rawValue.count)...]).trimmed()
        if value.hasPrefix("\"") {
            guard value.count >= 2, value.hasSuffix("\"") else { throw .syntax(text) }
            value = Self.unquote(String(value.dropFirst().dropLast()))
        }
        try self.init(name: name, value: value, op: op)
    }

    /// Whether the alert with `labels` matches; a missing label is the empty value.
    package func matches(_ labels: [String: String]) -> Bool {
        let actual = labels[name] ?? ""
        switch op {
        case .equal: return actual == value
        case .notEqual: return actual != value
        case .regex: return Self.wholeMatch(value, actual)
        case .notRegex: return !Self.wholeMatch(value, actual)
        }
    }

    /// `name="value"`, quoted and escaped as Alertmanager prints matchers.
    package var description: String {
        let escaped = value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
        return "\(name)\(op.rawValue)\"\(escaped)\""
    }

    private static func wholeMatch(_ pattern: String, _ value: String) -> Bool {
        guard let regex = RegexCache.shared.compile(pattern) else { return false }
        return (try? regex.wholeMatch(in: value)) != nil
    }

    private static func unquote(_ text: String) -> String {
        var result = ""
        var escaping = false
        for character in text {
            if escaping {
                result.append(character == "n" ? "\n" : character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}
