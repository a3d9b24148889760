import FoundationEssentials

/// Typed readers for scalar values; each records a located error and returns nil on a bad value.
extension ConfigParser {
    /// A short description of a node for "expected X, got Y" messages.
    func describe(_ node: YAMLNode) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let scalar):
            switch node.tagName {
            case .null: return "nothing (null)"
            case .bool: return "the boolean \(scalar.string)"
            case .int, .float: return "the number \(scalar.string)"
            default: return "the string \"\(scalar.string)\""
            }
        }
    }

    /// Checks that `node` is a mapping with string keys, reports unknown keys (with a suggestion when one
    /// is close) and returns its entries. A null node counts as an empty mapping.
    func mapping(_ node: YAMLNode, path: String, allowed: [String]?, expected: String = "a mapping") -> Fields? {
        if node.tagName == .null, node.scalar != nil {
            return Fields(path: path, node: node, entries: [:])
        }
        guard case .mapping(let mapping) = node else {
            error(node, path, "expected \(expected), got \(describe(node))")
            return nil
        }
        var entries: [String: (key: YAMLNode, value: YAMLNode)] = [:]
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                error(key, path, "keys must be plain strings, got \(describe(key))")
                continue
            }
            let name = scalar.string
            let keyPath = path.isEmpty ? name : "\(path).\(name)"
            if let allowed, !allowed.contains(name) {
                var message = "unknown key \"\(name)\""
                if let suggestion = KeySuggester.suggestion(for: name, among: allowed) {
                    message += "; did you mean \"\(suggestion)\"?"
                } else {
                    message += " (allowed: \(allowed.joined(separator: ", ")))"
                }
                error(key, keyPath, message)
                continue
            }
            entries[name] = (key, value)
        }
        return Fields(path: path, node: node, entries: entries)
    }

    /// The text of a scalar that is a string or a number (not null, not a boolean, not a collection).
    func string(_ node: YAMLNode, _ path: String, allowEmpty: Bool = false) -> String? {
        guard case .scalar(let scalar) = node, node.tagName != .null, node.tagName != .bool else {
            error(node, path, "expected a string, got \(describe(node))")
            return nil
        }
        if !allowEmpty, scalar.string.trimmed().isEmpty {
            error(node, path, "must not be empty")
            return nil
        }
        return scalar.string
    }

    /// A strictly positive Prometheus duration.
    func duration(_ node: YAMLNode, _ path: String) -> Duration? {
        guard case .scalar(let scalar) = node, [.str, .int, .float].contains(node.tagName) else {
            error(node, path, "expected a duration such as 5s or 1m30s, got \(describe(node))")
            return nil
        }
        let value: Duration
        do {
            value = try parseDuration(scalar.string)
        } catch {
            self.error(node, path, error.message)
            return nil
        }
        if value <= .zero {
            error(node, path, "must be greater than 0")
            return nil
        }
        return value
    }

    /// A YAML boolean (`true`/`false`).
    func bool(_ node: YAMLNode, _ path: String) -> Bool? {
        guard node.tagName == .bool, let value = node.bool else {
            error(node, path, "expected true or false, got \(describe(node))")
            return nil
        }
        return value
    }

    /// A positive byte size: an integer or a string such as `512KiB`.
    func byteSize(_ node: YAMLNode, _ path: String) -> Int? {
        guard case .scalar(let scalar) = node, [.str, .int].contains(node.tagName) else {
            error(node, path, "expected a byte size such as 65536 or 512KiB, got \(describe(node))")
            return nil
        }
        let bytes: Int
        do {
            bytes = try parseByteSize(scalar.string.replacing("_", with: ""))
        } catch {
            self.error(node, path, error.message)
            return nil
        }
        if bytes <= 0 {
            error(node, path, "must be greater than 0")
            return nil
        }
        return bytes
    }

    /// A jitter fraction 0...0.5, written `10%` or `0.1`.
    func jitter(_ node: YAMLNode, _ path: String) -> Double? {
        guard case .scalar(let scalar) = node else {
            error(node, path, "expected a percentage such as 10% or a fraction such as 0.1, got \(describe(node))")
            return nil
        }
        let text = scalar.string.trimmed()
        let fraction: Double
        var shown = text
        if node.tagName == .str, text.hasSuffix("%"), let percent = Double(text.dropLast()), percent.isFinite {
            fraction = percent / 100
        } else if [.int, .float].contains(node.tagName), let number = Double(text), number.isFinite {
            fraction = number
            shown = "\(text) (\(Self.percent(number)))"
        } else {
            error(node, path, "expected a percentage such as 10% or a fraction such as 0.1, got \(describe(node))")
            return nil
        }
        if fraction < 0 || fraction > 0.5 {
            error(node, path, "jitter \(shown) is out of range 0%..50%")
            return nil
        }
        return fraction
    }

    /// Formats a fraction as a percentage for messages.
    static func percent(_ fraction: Double) -> String {
        let value = fraction * 100
        return value == value.rounded() ? "\(Int(value))%" : "\(value)%"
    }

    /// An absolute http or https URL with a host.
    func url(_ node: YAMLNode, _ path: String) -> String? {
        guard let text = string(node, path) else {
            return nil
        }
        let trimmed = text.trimmed()
        let shown = URLRedaction.userInfo.apply(to: trimmed)
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme else {
            error(node, path, "\"\(shown)\" is not an absolute URL (expected e.g. https://billing.example.com)")
            return nil
        }
        guard ["http", "https"].contains(scheme.lowercased()) else {
            error(node, path, "URL \"\(shown)\" must use http or https, not \(scheme)")
            return nil
        }
        guard let host = components.host, !host.isEmpty else {
            error(node, path, "URL \"\(shown)\" has no host")
            return nil
        }
        return trimmed
    }

    /// A path resolved against the configuration file's directory.
    func resolvePath(_ path: String) -> String {
        if path.hasPrefix("/") || baseDirectory.isEmpty {
            return path
        }
        return URL(fileURLWithPath: baseDirectory).appendingPathComponent(path).standardizedFileURL.path
    }

    /// A path (resolved against the configuration directory) to a regular file that exists; only resolved, not
    /// checked, when secrets are not read (`--syntax-only`).
    func existingFile(_ node: YAMLNode, _ path: String) -> String? {
        guard let text = string(node, path) else {
            return nil
        }
        let resolved = resolvePath(text)
        guard readsSecrets else {
            return resolved
        }
        var isDirectory: Bool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) else {
            error(node, path, "file \"\(resolved)\" does not exist")
            return nil
        }
        if isDirectory {
            error(node, path, "\"\(resolved)\" is a directory, not a file")
            return nil
        }
        return resolved
    }

    /// Reads the secret pair `<base>_file` / `<base>_env` of a mapping; refuses an inline `<base>`.
    func secret(_ fields: Fields, _ base: String) -> SecretLookup {
        let fileKey = "\(base)_file"
        let envKey = "\(base)_env"
        if let inline = fields[base] {
            error(
                inline,
                fields.path(base),
                "inline secrets are not allowed; use \(fileKey) (a file holding the secret) or \(envKey) "
                    + "(the name of an environment variable holding it)"
            )
            return .failed
        }
        if fields[fileKey] != nil, let envNode = fields[envKey] {
            error(envNode, fields.path(envKey), "set only one of \(fileKey) and \(envKey)")
            return .failed
        }
        if let node = fields[fileKey] {
            return secretFromFile(node, fields.path(fileKey))
        }
        if let node = fields[envKey] {
            return secretFromEnvironment(node, fields.path(envKey))
        }
        return .absent
    }

    /// Reads a secret file, trimming trailing newlines; errors name the path, never the content.
    func secretFromFile(_ node: YAMLNode, _ path: String) -> SecretLookup {
        guard let text = string(node, path) else {
            return .failed
        }
        let resolved = resolvePath(text)
        guard readsSecrets else {
            return .found(Self.unreadSecret)
        }
        var isDirectory: Bool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) else {
            error(node, path, "cannot read secret file \"\(resolved)\": it does not exist")
            return .failed
        }
        guard !isDirectory else {
            error(node, path, "cannot read secret file \"\(resolved)\": it is a directory")
            return .failed
        }
        guard let data = FileManager.default.contents(atPath: resolved) else {
            error(node, path, "cannot read secret file \"\(resolved)\": permission denied or unreadable")
            return .failed
        }
        guard var value = String(data: data, encoding: .utf8) else {
            error(node, path, "secret file \"\(resolved)\" is not UTF-8 text")
            return .failed
        }
        while value.hasSuffix("\n") || value.hasSuffix("\r") || value.hasSuffix("\r\n") {
            value.removeLast()
        }
        if value.isEmpty {
            error(node, path, "secret file \"\(resolved)\" is empty")
            return .failed
        }
        return .found(Secret(value))
    }

    /// Reads a secret from the named environment variable; errors name the variable, never the value.
    func secretFromEnvironment(_ node: YAMLNode, _ path: String) -> SecretLookup {
        guard let name = string(node, path) else {
            return .failed
        }
        // A value that does not look like a variable name may be the secret itself: never echo it.
        let shown =
            name.wholeMatches("^[A-Z_][A-Z0-9_]*$")
            ? name : "named here (not shown: it does not look like a variable name; is it the secret itself?)"
        guard readsSecrets else {
            return .found(Self.unreadSecret)
        }
        guard let value = environment[name] else {
            error(node, path, "environment variable \(shown) is not set")
            return .failed
        }
        if value.isEmpty {
            error(node, path, "environment variable \(shown) is empty")
            return .failed
        }
        return .found(Secret(value))
    }

    /// Checks that every `{{...}}` in a template is a known placeholder.
    func checkPlaceholders(_ text: String, _ node: YAMLNode, _ path: String) {
        var rest = Substring(text)
        while let open = rest.firstRange(of: "{{") {
            guard let close = rest[open.upperBound...].firstRange(of: "}}") else {
                error(node, path, "unclosed placeholder \"{{\"")
                return
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmed()
            let names = ConfigDefaults.placeholders + (inJourneyStep ? ConfigDefaults.journeyPlaceholders : [])
            if inJourneyStep, name.hasPrefix("vars.") {
                let variable = String(name.dropFirst(5))
                if !variable.wholeMatches(Self.variablePattern) {
                    error(node, path, "invalid variable {{\(name)}}: the name must match [a-zA-Z_][a-zA-Z0-9_]*")
                }
            } else if !names.contains(name) {
                let known = (names.map { "{{\($0)}}" } + (inJourneyStep ? ["{{vars.NAME}}"] : []))
                    .joined(separator: ", ")
                error(node, path, "unknown placeholder {{\(name)}} (known: \(known))")
            }
            rest = rest[close.upperBound...]
        }
    }
}
