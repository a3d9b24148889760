extension YAMLNode {
    /// A resolved YAML tag, such as `tag:yaml.org,2002:int`; unknown local tags (`!name`) keep their text.
    package struct Tag: Sendable, Hashable, CustomStringConvertible {
        package let rawValue: String

        package init(rawValue: String) {
            self.rawValue = rawValue
        }

        package static let null = Tag(rawValue: "tag:yaml.org,2002:null")
        package static let bool = Tag(rawValue: "tag:yaml.org,2002:bool")
        package static let int = Tag(rawValue: "tag:yaml.org,2002:int")
        package static let float = Tag(rawValue: "tag:yaml.org,2002:float")
        package static let str = Tag(rawValue: "tag:yaml.org,2002:str")
        package static let timestamp = Tag(rawValue: "tag:yaml.org,2002:timestamp")
        package static let merge = Tag(rawValue: "tag:yaml.org,2002:merge")
        package static let value = Tag(rawValue: "tag:yaml.org,2002:value")
        package static let map = Tag(rawValue: "tag:yaml.org,2002:map")
        package static let seq = Tag(rawValue: "tag:yaml.org,2002:seq")

        package var description: String { rawValue }

        /// The tag of a plain (unquoted) scalar without an explicit tag, by the YAML 1.1 rules: `yes`/`no`/`on`/`off`
        /// and `true`/`false` are booleans; `0x1F`, `0o17`, `017` (octal), `0b101` and `1:30` (base 60) are integers;
        /// `1.5`, `1e3`, `.inf` and `.nan` are floats; `~`, `null` and nothing are null; `2024-01-31` is a timestamp;
        /// everything else is a string. The first rule that matches wins, in that order.
        package static func resolve(plain text: String) -> Tag {
            let bytes = Array(text.utf8)
            if booleans.contains(text) {
                return .bool
            }
            if ResolverPattern.isInt(bytes) {
                return .int
            }
            if ResolverPattern.isFloat(bytes) {
                return .float
            }
            if text == "<<" {
                return .merge
            }
            if nulls.contains(text) {
                return .null
            }
            if ResolverPattern.isTimestamp(bytes) {
                return .timestamp
            }
            if text == "=" {
                return .value
            }
            return .str
        }

        private static let booleans: Set<String> = [
            "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
            "on", "On", "ON", "off", "Off", "OFF",
        ]
        private static let nulls: Set<String> = ["", "~", "null", "Null", "NULL"]
    }
}

/// The YAML 1.1 implicit-type patterns (those of PyYAML and Yams), matched by hand over UTF-8 bytes.
private struct ResolverPattern {
    private let bytes: [UInt8]
    private var index = 0

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    private var atEnd: Bool { index == bytes.count }

    private var next: UInt8? { atEnd ? nil : bytes[index] }

    /// Consumes one byte of `set`.
    private mutating func take(_ set: (UInt8) -> Bool) -> Bool {
        guard let byte = next, set(byte) else { return false }
        index += 1
        return true
    }

    /// Consumes the exact text `literal`.
    private mutating func take(_ literal: String) -> Bool {
        let utf8 = Array(literal.utf8)
        guard bytes.count - index >= utf8.count, Array(bytes[index..<index + utf8.count]) == utf8 else {
            return false
        }
        index += utf8.count
        return true
    }

    /// Consumes bytes of `set` while there are; returns how many.
    @discardableResult
    private mutating func takeAll(_ set: (UInt8) -> Bool) -> Int {
        let start = index
        while take(set) {}
        return index - start
    }

    private mutating func takeSign() {
        _ = take { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") }
    }

    private static func digit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
    private static func digitOrUnderscore(_ byte: UInt8) -> Bool { digit(byte) || byte == UInt8(ascii: "_") }
    private static func nonZeroDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(byte) }
    private static func blank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

    /// `(?::[0-5]?[0-9])+`: one or more base-60 places.
    private mutating func takeSexagesimalPlaces() -> Bool {
        var count = 0
        while take(":") {
            guard let first = next, Self.digit(first) else { return false }
            index += 1
            if first <= UInt8(ascii: "5"), let second = next, Self.digit(second) {
                index += 1
            }
            count += 1
        }
        return count > 0
    }

    /// Runs `match` from the start and checks that it consumed everything.
    private static func whole(_ bytes: [UInt8], _ match: (inout ResolverPattern) -> Bool) -> Bool {
        var pattern = ResolverPattern(bytes)
        return match(&pattern) && pattern.atEnd
    }

    /// `[-+]?(0b[01_]+ | 0o?[0-7_]+ | 0 | [1-9][0-9_]* | 0x[0-9a-fA-F_]+ | [1-9][0-9_]*(:[0-5]?[0-9])+)`
    static func isInt(_ bytes: [UInt8]) -> Bool {
        let binary: (UInt8) -> Bool = { $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "1") || $0 == UInt8(ascii: "_") }
        let octal: (UInt8) -> Bool = { (UInt8(ascii: "0")...UInt8(ascii: "7")).contains($0) || $0 == UInt8(ascii: "_") }
        let hex: (UInt8) -> Bool = {
            digitOrUnderscore($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
                || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains($0)
        }
        let alternatives: [(inout ResolverPattern) -> Bool] = [
            {
                $0.takeSign()
                return $0.take("0b") && $0.takeAll(binary) > 0
            },
            {
                $0.takeSign()
                return $0.take("0") && ($0.take("o") || true) && $0.takeAll(octal) > 0
            },
            {
                $0.takeSign()
                return $0.take("0")
            },
            {
                $0.takeSign()
                return $0.take(nonZeroDigit) && $0.takeAll(digitOrUnderscore) >= 0
            },
            {
                $0.takeSign()
                return $0.take("0x") && $0.takeAll(hex) > 0
            },
            {
                $0.takeSign()
                return $0.take(nonZeroDigit) && $0.takeAll(digitOrUnderscore) >= 0 && $0.takeSexagesimalPlaces()
            },
        ]
        return alternatives.contains { whole(bytes, $0) }
    }

    /// `[-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)? | \.[0-9_]+([eE][-+][0-9]+)?
    /// | [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]* | [-+]?\.(inf|Inf|INF) | \.(nan|NaN|NAN)`
    static func isFloat(_ bytes: [UInt8]) -> Bool {
        let sign: (UInt8) -> Bool = { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") }
        let exponent: (UInt8) -> Bool = { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        let alternatives: [(inout ResolverPattern) -> Bool] = [
            {
                $0.takeSign()
                guard $0.take(digit) else { return false }
                $0.takeAll(digitOrUnderscore)
                if $0.take(".") {
                    $0.takeAll(digitOrUnderscore)
                }
                if $0.take(exponent) {
                    _ = $0.take(sign)
                    return $0.takeAll(digit) > 0
                }
                return true
            },
            {
                guard $0.take("."), $0.takeAll(digitOrUnderscore) > 0 else { return false }
                if $0.take(exponent) {
                    return $0.take(sign) && $0.takeAll(digit) > 0
                }
                return true
            },
            {
                $0.takeSign()
                guard $0.take(digit) else { return false }
                $0.takeAll(digitOrUnderscore)
                guard $0.takeSexagesimalPlaces(), $0.take(".") else { return false }
                $0.takeAll(digitOrUnderscore)
                return true
            },
            {
                $0.takeSign()
                return $0.take(".inf") || $0.take(".Inf") || $0.take(".INF")
            },
            { $0.take(".nan") || $0.take(".NaN") || $0.take(".NAN") },
        ]
        return alternatives.contains { whole(bytes, $0) }
    }

    /// `YYYY-MM-DD`, or `YYYY-M-D` followed by `T` or blanks, `h:mm:ss(.fraction)?` and an optional zone
    /// (`Z`, `+h`, `-hh:mm`, blanks allowed before it).
    static func isTimestamp(_ bytes: [UInt8]) -> Bool {
        let dateOnly: (inout ResolverPattern) -> Bool = {
            $0.takeDigits(4) && $0.take("-") && $0.takeDigits(2) && $0.take("-") && $0.takeDigits(2)
        }
        let dateTime: (inout ResolverPattern) -> Bool = {
            guard $0.takeDigits(4), $0.take("-"), $0.takeDigits(1, 2), $0.take("-"), $0.takeDigits(1, 2) else {
                return false
            }
            guard $0.take({ $0 == UInt8(ascii: "T") || $0 == UInt8(ascii: "t") }) || $0.takeAll(blank) > 0 else {
                return false
            }
            guard $0.takeDigits(1, 2), $0.take(":"), $0.takeDigits(2), $0.take(":"), $0.takeDigits(2) else {
                return false
            }
            if $0.take(".") {
                $0.takeAll(digit)
            }
            $0.takeAll(blank)
            if $0.take("Z") {
                return true
            }
            if $0.take({ $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") }) {
                guard $0.takeDigits(1, 2) else { return false }
                if $0.take(":") {
                    return $0.takeDigits(2)
                }
            }
            return true
        }
        return whole(bytes, dateOnly) || whole(bytes, dateTime)
    }

    /// Consumes between `minimum` and `maximum` (default: exactly `minimum`) decimal digits.
    private mutating func takeDigits(_ minimum: Int, _ maximum: Int? = nil) -> Bool {
        var count = 0
        while count < (maximum ?? minimum), take(Self.digit) {
            count += 1
        }
        return count >= minimum
    }
}
