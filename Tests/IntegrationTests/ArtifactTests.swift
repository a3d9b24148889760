import Foundation
import HTTPClient
import SlaprobeTesting
import Testing

/// The artifacts users import beside the binary (alert rules, Grafana dashboard, Dockerfile, Kubernetes manifests),
/// each proved with the real tool: promtool, a real Prometheus scraping real slaprobe processes, hadolint with `ldd`
/// and `dpkg -S`, kubernetes-validate and yamllint. `scripts/install-deps` installs every tool; a missing one fails.
@Suite(.serialized) enum ArtifactTests {
    /// Series Prometheus makes itself, not slaprobe.
    static let prometheusOwnSeries: Set<String> = ["up", "ALERTS"]

    /// The probes the Prometheus test runs: the demo's three and its purchase journey, and an https probe for the
    /// certificate panel.
    static let probes = ["entitlement", "checkout", "webhook", "purchase", "tls"]
}

// MARK: - Helpers

// MARK: - Helpers

extension ArtifactTests {
    static let promtool = "promtool"

    /// The repository root.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func read(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }

    /// Absolute paths of the files in `directory` ending in `.extension`, sorted.
    static func files(in directory: String, extension: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path(directory))
            .filter { $0.hasSuffix("." + `extension`) }.sorted().map { path(directory + "/" + $0) }
    }

    /// A tool pip installed (`scripts/install-deps`): on PATH, or in Python's scripts directory.
    static func tool(_ name: String) throws -> String {
        var directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        if let (status, scripts) = try? Harness.run(
            "python3",
            ["-c", "import sysconfig; print(sysconfig.get_path('scripts'))"]
        ), status == 0 {
            directories.append(scripts.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        directories.append(NSHomeDirectory() + "/.local/bin")
        for directory in directories where FileManager.default.isExecutableFile(atPath: directory + "/" + name) {
            return directory + "/" + name
        }
        throw TestFailure("\(name) is not installed: run scripts/install-deps")
    }

    /// Runs a Python script (with PyYAML, which yamllint brings) in the repository root; its stdout is JSON.
    static func python(_ script: String) throws -> [String: Any] {
        let (status, output) = try Harness.run(
            "python3",
            ["-c", "import os; os.chdir(\(pythonString(root.path)))\n" + script]
        )
        guard status == 0, let json = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        else { throw TestFailure("python failed (\(status)):\n\(output)") }
        return json
    }

    static func pythonString(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "\\'") + "'" }

    /// Every `expr` of `alerts/slaprobe.rules.yml`.
    static func ruleExpressions() throws -> [String] {
        let facts = try python(
            """
            import json, yaml
            rules = yaml.safe_load(open("alerts/slaprobe.rules.yml"))
            print(json.dumps({"exprs": [r["expr"] for g in rules["groups"] for r in g["rules"]]}))
            """
        )
        return facts["exprs"] as? [String] ?? []
    }

    static func recordingRuleNames() throws -> Set<String> {
        let facts = try python(
            """
            import json, yaml
            rules = yaml.safe_load(open("alerts/slaprobe.rules.yml"))
            print(json.dumps({"names": [r["record"] for g in rules["groups"] for r in g["rules"] if "record" in r]}))
            """
        )
        return Set(facts["names"] as? [String] ?? [])
    }

    /// Every panel query of the dashboard, and the variables' queries, with the panel's title.
    static func dashboardQueries() throws -> [(panel: String, expr: String)] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path("dashboards/slaprobe.json")))
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var queries: [(String, String)] = []
        for panel in dashboard["panels"] as? [[String: Any]] ?? [] {
            for target in panel["targets"] as? [[String: Any]] ?? [] {
                if let expr = target["expr"] as? String { queries.append((panel["title"] as? String ?? "?", expr)) }
            }
        }
        return queries
    }

    /// The queries of the dashboard's query variables (`label_values(...)`).
    static func dashboardVariableQueries() throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path("dashboards/slaprobe.json")))
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let variables = (dashboard["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
        return variables.compactMap { $0["definition"] as? String }
    }

    /// Grafana's substitution of the dashboard's variables: `$probe` as the multi-value regex, the window picked.
    static func substituteVariables(_ expr: String) -> String {
        expr.replacingOccurrences(of: "$__rate_interval", with: "1m")
            .replacingOccurrences(of: "$__interval", with: "15s")
            .replacingOccurrences(of: "$__range", with: "1h")
            .replacingOccurrences(of: "${probe}", with: probes.joined(separator: "|"))
            .replacingOccurrences(of: "$probe", with: probes.joined(separator: "|"))
            .replacingOccurrences(of: "${window}", with: "5m")
            .replacingOccurrences(of: "$window", with: "5m")
    }

    /// The metric names an expression reads: slaprobe's, the process collector's, recording rules' and
    /// Prometheus's own (`up`, `ALERTS`).
    static func metricNames(in expression: String) -> Set<String> {
        var names: Set<String> = []
        for token in expression.matches(of: /[A-Za-z_:][A-Za-z0-9_:]*/).map({ String($0.output) }) {
            let recorded = /probe(_le|_step|_step_le)?:[a-z0-9_:]+/
            if token.wholeMatch(of: recorded) != nil
                || token.wholeMatch(of: /slaprobe_[a-z0-9_]+|process_[a-z0-9_]+|up|ALERTS/) != nil
            {
                names.insert(token)
            }
        }
        return names
    }

    /// The names a `/metrics` page provides: its samples, and the series of every declared family (`# TYPE`), so a
    /// family whose series appear only under some condition (the certificate gauge, for https probes) counts.
    static func sampleNames(_ page: String) -> Set<String> {
        var names: Set<String> = []
        for line in page.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ").map(String.init)
                guard parts.count == 4 else { continue }
                let (family, type) = (parts[2], parts[3])
                names.insert(family)
                if type == "histogram" || type == "summary" { names.formUnion([family + "_sum", family + "_count"]) }
                if type == "histogram" { names.insert(family + "_bucket") }
            } else if !line.hasPrefix("#"), let end = line.firstIndex(where: { $0 == "{" || $0 == " " }) {
                names.insert(String(line[..<end]))
            }
        }
        return names
    }

    static func encode(_ query: String) -> String {
        query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
    }

    /// The number of series in a `/api/v1/query` answer; throws if it is not a success.
    static func resultCount(_ result: TransferResult) throws -> Int {
        let json = try JSONSerialization.jsonObject(with: Data(result.body)) as? [String: Any]
        guard json?["status"] as? String == "success", let data = json?["data"] as? [String: Any] else {
            throw TestFailure("query failed: \(result.bodyString.prefix(500))")
        }
        if let series = data["result"] as? [Any] { return series.count }
        return data["result"] == nil ? 0 : 1
    }

    /// GitHub's anchors for the headings of a Markdown document.
    static func markdownAnchors(_ markdown: String) -> Set<String> {
        var anchors: Set<String> = []
        for line in markdown.split(separator: "\n") where line.hasPrefix("#") {
            let title = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces).lowercased()
            let kept = title.filter { $0.isLetter || $0.isNumber || $0 == " " || $0 == "-" || $0 == "_" }
            anchors.insert(kept.replacingOccurrences(of: " ", with: "-"))
        }
        return anchors
    }

    /// A self-signed certificate for 127.0.0.1, valid 30 days: (certificate path, key path).
    static func makeCertificate(in directory: URL) throws -> (String, String) {
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let (status, output) = try Harness.run(
            "openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "30",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ]
        )
        guard status == 0 else { throw TestFailure("openssl req failed: \(output)") }
        return (certificate, key)
    }
}
