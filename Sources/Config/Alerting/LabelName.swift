/// Checks for Prometheus label names, as Alertmanager validates them.
enum LabelName {
    /// `[a-zA-Z_][a-zA-Z0-9_]*`.
    static func isValid(_ name: String) -> Bool {
        guard let first = name.utf8.first else { return false }
        let isLetter: (UInt8) -> Bool = { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 95 }
        guard isLetter(first) else { return false }
        return name.utf8.allSatisfy { isLetter($0) || ($0 >= 48 && $0 <= 57) }
    }

    /// Label values must be non-empty to survive Alertmanager (an empty value removes the label).
    static func isValidValue(_ value: String) -> Bool { !value.isEmpty }
}
