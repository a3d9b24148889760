import FoundationEssentials

/// TLS and basic auth for slaprobe's own endpoints, read from a `--web.config.file` in the Prometheus
/// exporter-toolkit format.
///
/// ```yaml
/// tls_server_config:
///   cert_file: server.crt
///   key_file: server.key
///   min_version: TLS12        # TLS10 | TLS11 | TLS12 | TLS13
///   max_version: TLS13
/// http_server_config:
///   headers: {Strict-Transport-Security: max-age=31536000}
/// basic_auth_users:
///   prometheus: $2y$10$...    # bcrypt hash (htpasswd -nBC 10 "" | tr -d ':\n')
/// ```
package struct WebConfig: Sendable, Equatable {
    /// Served certificate settings; `nil` serves plain HTTP.
    package struct TLS: Sendable, Equatable {
        /// PEM certificate (chain) text.
        package var certificatePEM: String
        /// PEM private key text.
        package var privateKey: Secret
        /// Oldest accepted version, as written (`TLS12`).
        package var minVersion: String
        /// Newest accepted version.
        package var maxVersion: String
    }

    /// TLS settings, if any.
    package var tls: TLS?
    /// User name → bcrypt hash; empty means no authentication.
    package var basicAuthUsers: [String: String]
    /// Extra response headers for every answer.
    package var headers: [HeaderField]

    /// No TLS, no authentication.
    package static let none = WebConfig(tls: nil, basicAuthUsers: [:], headers: [])

    static let versions = ["TLS10", "TLS11", "TLS12", "TLS13"]

    /// Loads and validates a web config file; errors name file, line and key.
    package static func load(file path: String) throws(ConfigErrors) -> WebConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigErrors([ConfigError(file: path, key: "", message: "cannot read the web configuration file")])
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(yaml: String(decoding: data, as: UTF8.self), file: path, baseDirectory: directory)
    }

    /// Parses web config text; relative file paths resolve against `baseDirectory`.
    package static func parse(yaml: String, file: String, baseDirectory: String) throws(ConfigErrors) -> WebConfig {
        let parser = ConfigParser(file: file, baseDirectory: baseDirectory, environment: [:])
        let root: YAMLNode?
        do throws(YAMLError) {
            root = try YAMLParser.compose(yaml: yaml)
        } catch {
            throw ConfigErrors([parser.syntaxError(error, yaml: yaml)])
        }
        var config = WebConfig.none
        if let root,
            let fields = parser.mapping(
                root,
                path: "",
                allowed: ["tls_server_config", "http_server_config", "basic_auth_users"]
            )
        {
            if let node = fields["tls_server_config"] { config.tls = tls(node, parser) }
            if let node = fields["http_server_config"],
                let http = parser.mapping(node, path: "http_server_config", allowed: ["headers", "http2"])
            {
                if let http2 = http["http2"], parser.bool(http2, http.path("http2")) == true {
                    parser.error(
                        http2,
                        http.path("http2"),
                        "HTTP/2 is not served by slaprobe; remove the key or set it to false"
                    )
                }
                if let headersNode = http["headers"],
                    let headers = parser.mapping(headersNode, path: http.path("headers"), allowed: nil)
                {
                    config.headers = headers.entries.keys.sorted().compactMap { name in
                        parser.string(headers.entries[name]!.value, headers.path(name)).map {
                            HeaderField(name: name, value: $0)
                        }
                    }
                }
            }
            if let node = fields["basic_auth_users"],
                let users = parser.mapping(node, path: "basic_auth_users", allowed: nil)
            {
                for name in users.entries.keys.sorted() {
                    let path = users.path(name)
                    guard let hash = parser.string(users.entries[name]!.value, path) else { continue }
                    guard hash.hasPrefix("$2a$") || hash.hasPrefix("$2b$") || hash.hasPrefix("$2y$"), hash.count == 60
                    else {
                        // The value is not repeated: a plain password pasted here must not end up in logs.
                        parser.error(
                            users.entries[name]!.value,
                            path,
                            "must be a bcrypt hash ($2y$..., 60 characters), e.g. from htpasswd -nBC 10 \"\""
                        )
                        continue
                    }
                    config.basicAuthUsers[name] = hash
                }
            }
        }
        guard parser.errors.isEmpty else { throw ConfigErrors(parser.sortedErrors) }
        return config
    }

    private static func tls(_ node: YAMLNode, _ parser: ConfigParser) -> TLS? {
        let allowed = ["cert_file", "key_file", "min_version", "max_version"]
        guard let fields = parser.mapping(node, path: "tls_server_config", allowed: allowed) else { return nil }
        func read(_ key: String) -> String? {
            guard let valueNode = fields[key] else {
                parser.error(fields.node, fields.path(key), "is required")
                return nil
            }
            guard let path = parser.existingFile(valueNode, fields.path(key)) else { return nil }
            guard let data = FileManager.default.contents(atPath: path) else {
                parser.error(valueNode, fields.path(key), "cannot read \(path)")
                return nil
            }
            return String(decoding: data, as: UTF8.self)
        }
        func version(_ key: String, _ fallback: String) -> String {
            guard let valueNode = fields[key], let text = parser.string(valueNode, fields.path(key)) else {
                return fallback
            }
            guard versions.contains(text) else {
                parser.error(valueNode, fields.path(key), "\(text) is not one of \(versions.joined(separator: ", "))")
                return fallback
            }
            return text
        }
        let cert = read("cert_file")
        let key = read("key_file")
        let minVersion = version("min_version", "TLS12")
        let maxVersion = version("max_version", "TLS13")
        if versions.firstIndex(of: minVersion)! > versions.firstIndex(of: maxVersion)! {
            parser.error(
                fields["min_version"],
                fields.path("min_version"),
                "min_version \(minVersion) is newer than max_version \(maxVersion)"
            )
        }
        guard let cert, let key else { return nil }
        return TLS(certificatePEM: cert, privateKey: Secret(key), minVersion: minVersion, maxVersion: maxVersion)
    }
}
