/// A scalar's text read as a boolean or a number, the way the YAML 1.1 types define them.
///
/// These read the text whatever the resolved tag; callers check ``YAMLNode/tagName`` first when only a plain
/// `true` (not a quoted `"true"`) may count.
extension YAMLNode {
    /// `true`/`yes`/`on` or `false`/`no`/`off` in any case; nil for anything else or a string (quoted or `!!str`).
    package var bool: Bool? {
        guard let scalar, scalar.tag != .str else { return nil }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }

    /// A plain scalar as an integer: decimal, `0x` hexadecimal, `0o` or leading-zero octal, `0b` binary or base
    /// 60 (`1:30`), underscores ignored.
    package var int: Int? {
        guard let scalar, scalar.style == .plain else { return nil }
        let text = scalar.string.replacing("_", with: "")
        if text == "0" {
            return 0
        }
        let negative = text.hasPrefix("-")
        let unsigned = text.dropFirst(negative || text.hasPrefix("+") ? 1 : 0)
        let sign = negative ? "-" : ""
        for (prefix, radix) in [("0x", 16), ("0b", 2), ("0o", 8), ("0", 8)] where unsigned.hasPrefix(prefix) {
            return Int(sign + unsigned.dropFirst(prefix.count), radix: radix)
        }
        if unsigned.contains(":") {
            return Self.sexagesimal(text, Int.init)
        }
        return Int(text)
    }

    /// A plain scalar as a floating-point number: decimal, exponent, base 60 (`1:30.5`), `.inf`, `-.inf` or
    /// `.nan`, underscores ignored.
    package var float: Double? {
        guard let scalar, scalar.style == .plain else { return nil }
        switch scalar.string.lowercased() {
        case ".inf", "+.inf":
            return .infinity
        case "-.inf":
            return -.infinity
        case ".nan":
            return .nan
        default:
            let text = scalar.string.replacing("_", with: "")
            if text.contains(":") {
                return Self.sexagesimal(text, Double.init)
            }
            return Double(text)
        }
    }

    /// A base-60 number `[-+]a:b:c`, each place read by `parse`.
    private static func sexagesimal<Number: SignedNumeric & ExpressibleByIntegerLiteral>(
        _ text: String,
        _ parse: (String) -> Number?
    ) -> Number? {
        var digits = Substring(text)
        var sign: Number = 1
        if digits.hasPrefix("-") {
            sign = -1
            digits = digits.dropFirst()
        } else if digits.hasPrefix("+") {
            digits = digits.dropFirst()
        }
        var value: Number = 0
        for place in digits.split(separator: ":", omittingEmptySubsequences: false) {
            guard let number = parse(String(place)) else { return nil }
            value = value * 60 + number
        }
        return sign * value
    }
}
