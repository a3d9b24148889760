import Foundation
import HTTPClient
import SlaprobeTesting
import Testing

/// The artifacts users import beside the binary (alert rules, Grafana dashboard, Dockerfile, Kubernetes manifests),
/// each proved with the real tool: promtool, a real Prometheus scraping real slaprobe processes, hadolint with `ldd`
/// and `dpkg -S`, kubernetes-validate and yamllint. `scripts/install-deps` installs every tool; a missing one fails.
@Suite(.serialized) struct ArtifactTests {
    /// Families slaprobe does not export yet but that rules or panels already read (a feature being built in
    /// parallel): the only names allowed to be missing from `/metrics`. Empty now: the evaluator's
    /// `slaprobe_alerts`, `slaprobe_notifications_total`, `slaprobe_notification_queue_length` and
    /// `slaprobe_notification_dead_letters_total` are exported since it was wired in.
    static let familiesNotYetExported: Set<String> = []

    /// Series Prometheus makes itself, not slaprobe.
    static let prometheusOwnSeries: Set<String> = ["up", "ALERTS"]

    /// Runtime packages in the Dockerfile that are not shared libraries of the binary, and why.
    static let runtimePackagesThatAreNotLibraries: Set<String> = [
        "ca-certificates",  // trust store for https targets
        "curl",  // the HEALTHCHECK's client
    ]

    /// The probes the Prometheus test runs: the demo's three, and an https probe for the certificate panel.
    static let probes = ["entitlement", "checkout", "webhook", "tls"]

    // MARK: - Alert rules

    @Test func rulesPassPromtoolCheckAndTheirUnitTests() throws {
        let (checkStatus, check) = try Harness.run(
            Self.promtool,
            ["check", "rules", Self.path("alerts/slaprobe.rules.yml")]
        )
        #expect(checkStatus == 0, "promtool check rules:\n\(check)")
        #expect(check.contains("SUCCESS"), "\(check)")

        let tests = try Self.files(in: "alerts/tests", extension: "yml")
        #expect(tests.count >= 4, "alerts/tests holds \(tests)")
        let (testStatus, output) = try Harness.run(Self.promtool, ["test", "rules"] + tests)
        #expect(testStatus == 0, "promtool test rules:\n\(output)")
        #expect(!output.contains("FAILED"), "\(output)")
    }

    /// Rule groups are evaluated independently and in no defined order (promtool walks them in Go map order), so a
    /// rule reading a recording from another group sees the previous evaluation's value, or this one's, at random.
    /// Every rule must read only recordings defined before it in its own group.
    @Test func everyRuleReadsOnlyRecordingsDefinedEarlierInItsOwnGroup() throws {
        let facts = try Self.python(
            """
            import json, re, yaml
            rules = yaml.safe_load(open("alerts/slaprobe.rules.yml"))
            recorded = {r["record"] for g in rules["groups"] for r in g["rules"] if "record" in r}
            problems = []
            for group in rules["groups"]:
                seen = set()
                for rule in group["rules"]:
                    name = rule.get("record") or rule.get("alert")
                    for used in set(re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", rule["expr"])) & recorded:
                        if used not in seen:
                            problems.append(f"{name} in group {group['name']} reads {used}, not recorded before it there")
                    if "record" in rule:
                        seen.add(rule["record"])
            print(json.dumps({"problems": problems, "recorded": len(recorded)}))
            """
        )
        #expect((facts["recorded"] as? Int ?? 0) >= 10)
        let problems = facts["problems"] as? [String] ?? ["no answer"]
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func everyAlertIsTestedFiringAndQuietAndLinksItsRunbook() throws {
        let facts = try Self.python(
            """
            import glob, json, sys, yaml
            rules = yaml.safe_load(open("alerts/slaprobe.rules.yml"))
            alerts = [r for g in rules["groups"] for r in g["rules"] if "alert" in r]
            firing, quiet = set(), set()
            for name in glob.glob("alerts/tests/*.yml"):
                for test in yaml.safe_load(open(name))["tests"]:
                    for case in test.get("alert_rule_test", []):
                        (firing if case.get("exp_alerts") else quiet).add(case["alertname"])
            print(json.dumps({
                "alerts": [{"name": a["alert"], "labels": a.get("labels", {}), "annotations": a.get("annotations", {})}
                           for a in alerts],
                "firing": sorted(firing), "quiet": sorted(quiet)}))
            """
        )
        let alerts = try #require(facts["alerts"] as? [[String: Any]])
        let firing = Set(facts["firing"] as? [String] ?? [])
        let quiet = Set(facts["quiet"] as? [String] ?? [])
        let anchors = try Self.markdownAnchors(Self.read("docs/operations.md"))
        #expect(alerts.count >= 12)
        for alert in alerts {
            let name = try #require(alert["name"] as? String)
            let labels = alert["labels"] as? [String: String] ?? [:]
            let annotations = alert["annotations"] as? [String: String] ?? [:]
            #expect(firing.contains(name), "\(name) has no test case where it fires")
            #expect(quiet.contains(name), "\(name) has no test case where it stays quiet")
            #expect(["page", "ticket", "warning"].contains(labels["severity"] ?? ""), "\(name): severity")
            #expect(annotations["summary"]?.isEmpty == false, "\(name): summary")
            #expect(annotations["description"]?.isEmpty == false, "\(name): description")
            let runbook = annotations["runbook_url"] ?? ""
            let prefix = "https://github.com/slaprobe/slaprobe/blob/main/docs/operations.md#"
            #expect(runbook.hasPrefix(prefix), "\(name): runbook_url \(runbook)")
            let anchor = String(runbook.dropFirst(prefix.count))
            #expect(anchors.contains(anchor), "\(name): docs/operations.md has no section #\(anchor)")
        }
    }

    // MARK: - Metric names

    @Test func everyMetricTheRulesAndDashboardReadIsOneSlaprobeExports() async throws {
        let demo = try ManagedProcess(Harness.slaprobe, ["demo", "--web.listen-address", "127.0.0.1:0"])
        defer { demo.stop() }
        let port = try await demo.listeningPort(message: "slaprobe listening")
        let metrics = try await Harness.poll("http://127.0.0.1:\(port)/metrics", timeout: 15) {
            $0.status == 200 && $0.bodyString.contains("slaprobe_cache_lookups_total{")
        }
        let exported = Self.sampleNames(metrics.bodyString)
        let recorded = try Self.recordingRuleNames()
        var read: Set<String> = []
        let expressions =
            try Self.ruleExpressions() + Self.dashboardQueries().map(\.expr) + Self.dashboardVariableQueries()
        for expression in expressions {
            read.formUnion(Self.metricNames(in: expression))
        }
        #expect(read.contains("slaprobe_probe_duration_seconds_bucket"))
        #expect(read.contains("slaprobe_probe_latency_threshold_seconds"))
        for name in read.sorted() {
            if name.contains(":") {
                #expect(recorded.contains(name), "\(name) is read but no rule records it")
            } else {
                #expect(
                    exported.contains(name) || Self.familiesNotYetExported.contains(name)
                        || Self.prometheusOwnSeries.contains(name),
                    "\(name) is read by a rule or panel but slaprobe does not export it"
                )
            }
        }
    }

    // MARK: - Dashboard against a real Prometheus

    @Test func everyDashboardQueryReturnsDataFromARealPrometheus() async throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }

        let demo = try ManagedProcess(Harness.slaprobe, ["demo", "--web.listen-address", "127.0.0.1:0"])
        defer { demo.stop() }
        // An https target for the certificate panel: openssl's test server with a fresh self-signed certificate.
        let (certificate, key) = try Self.makeCertificate(in: directory)
        let tlsPort = try Harness.freePort()
        let tlsServer = try ManagedProcess(
            "/usr/bin/openssl",
            [
                "s_server", "-quiet", "-www", "-accept", "127.0.0.1:\(tlsPort)", "-cert", certificate, "-key", key,
            ]
        )
        defer { tlsServer.stop() }
        let probeConfig = directory.appendingPathComponent("tls.yml")
        try """
        global:
          interval: 1s
          timeout: 1s
        probes:
          - name: tls
            kind: http
            url: https://127.0.0.1:\(tlsPort)/
            ca_file: \(certificate)
        """.write(to: probeConfig, atomically: true, encoding: .utf8)
        let prober = try ManagedProcess(
            Harness.slaprobe,
            ["--config.file", probeConfig.path, "--web.listen-address", "127.0.0.1:0"],
            name: "slaprobe-tls"
        )
        defer { prober.stop() }
        let demoPort = try await demo.listeningPort(message: "slaprobe listening")
        let proberPort = try await prober.listeningPort(message: "slaprobe listening")

        try """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        rule_files:
          - \(Self.path("alerts/slaprobe.rules.yml"))
        scrape_configs:
          - job_name: slaprobe
            static_configs:
              - targets: ["127.0.0.1:\(demoPort)", "127.0.0.1:\(proberPort)"]
        """.write(to: directory.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
        let prometheusPort = try Harness.freePort()
        let prometheus = try ManagedProcess(
            "/usr/bin/prometheus",
            [
                "--config.file=\(directory.path)/prometheus.yml", "--storage.tsdb.path=\(directory.path)/data",
                "--web.listen-address=127.0.0.1:\(prometheusPort)",
            ]
        )
        defer { prometheus.stop() }
        let api = "http://127.0.0.1:\(prometheusPort)/api/v1"

        // Both targets up, then a few scrapes so every rate has two samples in its range.
        _ = try await Harness.poll(api + "/query?query=" + Self.encode("sum(up{job=\"slaprobe\"})"), timeout: 30) {
            $0.bodyString.contains("\"2\"]")
        }
        _ = try await Harness.poll(
            api + "/query?query=" + Self.encode("slaprobe_probe_tls_cert_expiry_timestamp_seconds"),
            timeout: 20
        ) { (try? Self.resultCount($0)) ?? 0 > 0 }
        try await Task.sleep(for: .seconds(3))

        // The rules load and evaluate without error in the real Prometheus.
        let rules = try await Harness.poll(api + "/rules", timeout: 20) { result in
            !result.bodyString.contains("\"health\":\"unknown\"") && result.bodyString.contains("\"health\":\"ok\"")
        }
        #expect(!rules.bodyString.contains("\"health\":\"err\""), "a rule failed: \(rules.bodyString.prefix(3000))")

        // The probe variable's query.
        let values = await Harness.fetch(api + "/label/probe/values?match[]=slaprobe_probes_total")
        for probe in Self.probes { #expect(values.bodyString.contains("\"\(probe)\""), "\(values.bodyString)") }

        // Every panel query, with Grafana's variables as Grafana would substitute them.
        let deadline = Date().addingTimeInterval(30)
        for query in try Self.dashboardQueries() {
            let expression = Self.substituteVariables(query.expr)
            #expect(!expression.contains("$"), "panel \"\(query.panel)\" uses an unknown variable: \(expression)")
            var last = ""
            var ok = false
            while !ok {
                let result = await Harness.fetch(api + "/query?query=" + Self.encode(expression))
                last = result.bodyString
                ok = result.status == 200 && ((try? Self.resultCount(result)) ?? 0) > 0
                if ok || Date() > deadline { break }
                try await Task.sleep(for: .milliseconds(500))
            }
            #expect(ok, "panel \"\(query.panel)\": \(expression)\nreturned \(last.prefix(600))")
        }
    }

    @Test func dashboardReadsTheDataSourceAndProbeVariables() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.path("dashboards/slaprobe.json")))
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((dashboard["schemaVersion"] as? Int ?? 0) >= 39)
        let variables = (dashboard["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
        let datasource = try #require(variables.first { $0["name"] as? String == "datasource" })
        #expect(datasource["type"] as? String == "datasource")
        #expect(datasource["query"] as? String == "prometheus")
        let probe = try #require(variables.first { $0["name"] as? String == "probe" })
        #expect(probe["definition"] as? String == "label_values(slaprobe_probes_total, probe)")
        #expect(probe["multi"] as? Bool == true)
        #expect(probe["includeAll"] as? Bool == true)
        let panels = dashboard["panels"] as? [[String: Any]] ?? []
        let titles = panels.compactMap { $0["title"] as? String }
        #expect(Set(titles).count == titles.count, "panel titles repeat: \(titles)")
        for panel in panels where panel["type"] as? String != "row" {
            let title = panel["title"] as? String ?? "?"
            #expect((panel["datasource"] as? [String: Any])?["uid"] as? String == "${datasource}", "\(title)")
            let targets = panel["targets"] as? [[String: Any]] ?? []
            #expect(!targets.isEmpty, "\(title) has no query")
            for target in targets {
                #expect((target["datasource"] as? [String: Any])?["uid"] as? String == "${datasource}", "\(title)")
            }
        }
        let queries = try Self.dashboardQueries().map(\.expr).joined(separator: "\n")
        for needle in [
            "histogram_quantile(0.95", "slaprobe_window_latency_seconds", "slaprobe_probe_phase_duration_seconds",
            "slaprobe_probe_latency_threshold_seconds", "slaprobe_window_error_ratio",
            "slaprobe_window_cache_hit_ratio",
            "slaprobe_alerts", "slaprobe_notification_queue_length", "slaprobe_notification_dead_letters_total",
            "slaprobe_scheduler_lag_seconds_bucket", "slaprobe_probe_tls_cert_expiry_timestamp_seconds",
        ] {
            #expect(queries.contains(needle), "no panel reads \(needle)")
        }
    }

    // MARK: - Dockerfile

    @Test func dockerfilePassesHadolint() throws {
        let (status, output) = try Harness.run(try Self.tool("hadolint"), [Self.path("Dockerfile")])
        #expect(status == 0, "hadolint:\n\(output)")
        #expect(output.isEmpty, "hadolint:\n\(output)")
    }

    @Test func dockerfileRuntimePackagesAreExactlyTheLibrariesTheBinaryLinks() throws {
        let installed = try Self.runtimePackages(dockerfile: Self.read("Dockerfile"))
        let libraries = installed.subtracting(Self.runtimePackagesThatAreNotLibraries)
        #expect(installed.isSuperset(of: Self.runtimePackagesThatAreNotLibraries), "\(installed)")
        #expect(libraries.isSuperset(of: ["libcurl4", "libmicrohttpd12"]), "\(libraries)")

        // The release build the image makes, when one is at hand (`swift build -c release --static-swift-stdlib
        // --scratch-path .build-artifacts-release`), and always the binary under test: its Swift runtime comes from
        // the toolchain (no Debian package; linked statically in release) and its other libraries are the same.
        var binaries = [(Harness.slaprobe, false)]
        let release = Self.path(".build-artifacts-release/release/slaprobe")
        if FileManager.default.isExecutableFile(atPath: release) { binaries.append((release, true)) }
        for (binary, isStaticRelease) in binaries {
            let linked = try Self.linkedPackages(binary, requireEveryLibraryPackaged: isStaticRelease)
            #expect(
                linked.direct == libraries,
                """
                \(binary) links \(linked.direct.sorted()) (beyond libc); the Dockerfile's runtime stage installs \
                \(libraries.sorted())
                """
            )
            // Every library ldd loads, direct or not, comes from a listed package or one of their dependencies.
            let closure = try Self.dependencyClosure(of: libraries.union(["libc6"]))
            let missing = linked.all.subtracting(closure)
            #expect(missing.isEmpty, "\(binary): ldd loads libraries from \(missing.sorted()), which nothing installs")
        }
    }

    // MARK: - Kubernetes

    @Test func kubernetesManifestsValidateStrictlyAndLint() throws {
        let manifests = try Self.files(in: "deploy/kubernetes", extension: "yaml")
        #expect(manifests.count >= 6)
        let (status, output) = try Harness.run(try Self.tool("kubernetes-validate"), ["--strict"] + manifests)
        #expect(status == 0, "kubernetes-validate:\n\(output)")
        #expect(!output.contains("ERROR"), "\(output)")
        // The tool has no schemas for CRDs or kustomize; it warns and passes them. Only those may be unchecked.
        for line in output.split(separator: "\n") where line.hasPrefix("WARN") {
            let allowed = ["kind Kustomization ", "kind ServiceMonitor ", "kind PrometheusRule "]
            #expect(allowed.contains { line.contains($0) }, "unexpected warning: \(line)")
        }
        for kind in ["configmap/slaprobe-config", "deployment/slaprobe", "service/slaprobe"] {
            #expect(output.contains("passed for resource \(kind)"), "\(kind) not validated:\n\(output)")
        }

        let (lintStatus, lint) = try Harness.run(
            try Self.tool("yamllint"),
            ["--strict", "-c", Self.path("deploy/yamllint.yml"), Self.path("deploy")]
        )
        #expect(lintStatus == 0, "yamllint:\n\(lint)")
    }

    @Test func prometheusRuleIsTheGeneratedCopyOfTheRulesFile() throws {
        let (status, generated) = try Harness.run(Self.path("deploy/kubernetes/generate-prometheusrule"), [])
        #expect(status == 0, "\(generated)")
        let committed = try Self.read("deploy/kubernetes/prometheusrule.yaml")
        #expect(
            generated == committed,
            "deploy/kubernetes/prometheusrule.yaml is stale: run deploy/kubernetes/generate-prometheusrule > it"
        )
        // Independently of the generator: the same groups, parsed, and promtool accepts them.
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let extracted = directory.appendingPathComponent("groups.yml").path
        let facts = try Self.python(
            """
            import json, yaml
            rule = yaml.safe_load(open("deploy/kubernetes/prometheusrule.yaml"))
            rules = yaml.safe_load(open("alerts/slaprobe.rules.yml"))
            yaml.safe_dump({"groups": rule["spec"]["groups"]}, open("\(extracted)", "w"))
            print(json.dumps({"kind": rule["kind"], "same": rule["spec"] == rules}))
            """
        )
        #expect(facts["kind"] as? String == "PrometheusRule")
        #expect(facts["same"] as? Bool == true, "the PrometheusRule's groups differ from alerts/slaprobe.rules.yml")
        let (checkStatus, check) = try Harness.run(Self.promtool, ["check", "rules", extracted])
        #expect(checkStatus == 0, "\(check)")
    }

    @Test func manifestsAgreeWithEachOtherAndTheConfigMapIsAValidConfig() throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("slaprobe.yml").path
        let facts = try Self.python(
            """
            import json, yaml
            def load(name):
                return yaml.safe_load(open("deploy/kubernetes/" + name))
            kustomization, deployment = load("kustomization.yaml"), load("deployment.yaml")
            service, monitor, configmap = load("service.yaml"), load("servicemonitor.yaml"), load("configmap.yaml")
            pod = deployment["spec"]["template"]["spec"]
            container = pod["containers"][0]
            mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
            volumes = {v["name"]: v for v in pod["volumes"]}
            text = configmap["data"]["slaprobe.yml"]
            secrets = mounts["credentials"]
            open("\(config)", "w").write(text.replace(secrets + "/", "\(directory.path)/"))
            for item in volumes["credentials"]["secret"]["items"]:
                open("\(directory.path)/" + item["path"], "w").write("placeholder\\n")
            labels = deployment["spec"]["template"]["metadata"]["labels"]
            print(json.dumps({
                "resources": kustomization["resources"],
                "selectorMatchesPods": all(labels.get(k) == v for k, v in service["spec"]["selector"].items()),
                "monitorMatchesService": all(service["metadata"]["labels"].get(k) == v
                                             for k, v in monitor["spec"]["selector"]["matchLabels"].items()),
                "servicePort": service["spec"]["ports"][0],
                "monitorPort": monitor["spec"]["endpoints"][0]["port"],
                "containerPorts": [p["name"] for p in container["ports"]],
                "liveness": container["livenessProbe"]["httpGet"]["path"],
                "readiness": container["readinessProbe"]["httpGet"]["path"],
                "args": container["args"],
                "configMount": mounts["config"],
                "configMapName": volumes["config"]["configMap"]["name"] == configmap["metadata"]["name"],
                "secretFilesUsed": all(secrets + "/" + i["path"] in text
                                       for i in volumes["credentials"]["secret"]["items"]),
                "podSecurity": pod["securityContext"],
                "containerSecurity": container["securityContext"],
                "resources_": container["resources"],
            }))
            """
        )
        let resources = Set(facts["resources"] as? [String] ?? [])
        let manifests = Set(
            try Self.files(in: "deploy/kubernetes", extension: "yaml").map {
                URL(fileURLWithPath: $0).lastPathComponent
            }
        )
        #expect(resources == manifests.subtracting(["kustomization.yaml"]), "kustomization lists \(resources.sorted())")
        #expect(facts["selectorMatchesPods"] as? Bool == true)
        #expect(facts["monitorMatchesService"] as? Bool == true)
        let servicePort = facts["servicePort"] as? [String: Any] ?? [:]
        #expect(servicePort["name"] as? String == "http-metrics")
        #expect(servicePort["port"] as? Int == 9330)
        #expect(facts["monitorPort"] as? String == "http-metrics")
        #expect(facts["containerPorts"] as? [String] == ["http-metrics"])
        #expect(facts["liveness"] as? String == "/healthz")
        #expect(facts["readiness"] as? String == "/readyz")
        let configMount = facts["configMount"] as? String ?? ""
        #expect((facts["args"] as? [String] ?? []).contains("--config.file=\(configMount)/slaprobe.yml"))
        #expect(facts["configMapName"] as? Bool == true)
        #expect(facts["secretFilesUsed"] as? Bool == true, "the ConfigMap does not read the mounted secret files")
        let podSecurity = facts["podSecurity"] as? [String: Any] ?? [:]
        let containerSecurity = facts["containerSecurity"] as? [String: Any] ?? [:]
        #expect(podSecurity["runAsNonRoot"] as? Bool == true)
        #expect(containerSecurity["readOnlyRootFilesystem"] as? Bool == true)
        #expect(containerSecurity["allowPrivilegeEscalation"] as? Bool == false)
        #expect((containerSecurity["capabilities"] as? [String: Any])?["drop"] as? [String] == ["ALL"])
        #expect((containerSecurity["seccompProfile"] as? [String: Any])?["type"] as? String == "RuntimeDefault")
        let limits = (facts["resources_"] as? [String: Any])?["limits"] as? [String: Any]
        #expect(limits?["memory"] != nil)

        let (status, output) = try Harness.run(Harness.slaprobe, ["check-config", config])
        #expect(status == 0, "the ConfigMap's slaprobe.yml: \(output)")
    }
}

// MARK: - Helpers

extension ArtifactTests {
    static let promtool = "/usr/bin/promtool"

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
            "/usr/bin/env",
            ["python3", "-c", "import sysconfig; print(sysconfig.get_path('scripts'))"]
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
            "/usr/bin/env",
            ["python3", "-c", "import os; os.chdir(\(pythonString(root.path)))\n" + script]
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
            if token.wholeMatch(of: /(probe|probe_le):[a-z0-9_:]+|slaprobe_[a-z0-9_]+|process_[a-z0-9_]+|up|ALERTS/)
                != nil
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
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "30",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ]
        )
        guard status == 0 else { throw TestFailure("openssl req failed: \(output)") }
        return (certificate, key)
    }

    // MARK: Dockerfile and packages

    /// The packages of the runtime stage's `apt-get install` (the last `FROM` stage).
    static func runtimePackages(dockerfile: String) throws -> Set<String> {
        let joined = dockerfile.replacingOccurrences(of: "\\\n", with: " ")
        let lines = joined.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let lastStage = try #require(lines.lastIndex { $0.uppercased().hasPrefix("FROM ") })
        let install = try #require(
            lines[lastStage...].first { $0.hasPrefix("RUN ") && $0.contains("apt-get install") },
            "the runtime stage has no apt-get install"
        )
        let afterInstall = install.components(separatedBy: "apt-get install").dropFirst().joined()
        let command = afterInstall.components(separatedBy: "&&")[0]
        return Set(command.split(separator: " ").map(String.init).filter { !$0.hasPrefix("-") })
    }

    /// The Debian packages of the libraries `binary` links: `direct` for its own NEEDED entries, `all` for every
    /// library `ldd` loads; libc6 (libc, libm, the loader) is left out of `direct`. A library no package owns (the
    /// Swift toolchain's, in a debug build) is skipped unless `requireEveryLibraryPackaged`.
    static func linkedPackages(
        _ binary: String,
        requireEveryLibraryPackaged: Bool
    ) throws -> (direct: Set<String>, all: Set<String>) {
        let (lddStatus, ldd) = try Harness.run("/usr/bin/ldd", [binary])
        guard lddStatus == 0 else { throw TestFailure("ldd \(binary): \(ldd)") }
        var paths: [String: String] = [:]
        for line in ldd.split(separator: "\n") {
            let parts = line.split(separator: " ").map(String.init)
            if parts.count >= 3, parts[1] == "=>" { paths[parts[0].trimmingCharacters(in: .whitespaces)] = parts[2] }
        }
        let (readelfStatus, dynamic) = try Harness.run("/usr/bin/env", ["readelf", "-d", binary])
        guard readelfStatus == 0 else { throw TestFailure("readelf -d \(binary): \(dynamic)") }
        let needed = dynamic.matches(of: /\(NEEDED\)\s+Shared library: \[([^\]]+)\]/).map { String($0.1) }
        #expect(!needed.isEmpty, "\(binary) has no NEEDED entries")

        var direct: Set<String> = []
        var all: Set<String> = []
        for (library, location) in paths {
            guard let package = try package(owning: location) else {
                #expect(!requireEveryLibraryPackaged, "\(binary): no Debian package owns \(library) (\(location))")
                continue
            }
            all.insert(package)
            if needed.contains(library) && package != "libc6" { direct.insert(package) }
        }
        for library in needed where paths[library] == nil && !library.hasPrefix("ld-linux") {
            Issue.record("\(binary): ldd did not resolve \(library)")
        }
        return (direct, all)
    }

    /// The package owning a library file, trying both sides of the /usr merge (dpkg knows one spelling).
    static func package(owning file: String) throws -> String? {
        var candidates = [file]
        if file.hasPrefix("/usr/lib/") { candidates.append(String(file.dropFirst(4))) }
        if file.hasPrefix("/lib/") { candidates.append("/usr" + file) }
        let resolved = URL(fileURLWithPath: file).resolvingSymlinksInPath().path
        if resolved != file { candidates.append(resolved) }
        for candidate in candidates {
            let (status, output) = try Harness.run("/usr/bin/dpkg", ["-S", candidate])
            if status == 0, let first = output.split(separator: "\n").first, let colon = first.firstIndex(of: ":") {
                return String(first[..<colon])
            }
        }
        return nil
    }

    /// `packages` and everything they depend on (Depends and Pre-Depends, recursively), as installed here.
    static func dependencyClosure(of packages: Set<String>) throws -> Set<String> {
        var closure: Set<String> = []
        var queue = Array(packages)
        while let package = queue.popLast() {
            guard closure.insert(package).inserted else { continue }
            let (status, output) = try Harness.run(
                "/usr/bin/dpkg-query",
                ["-W", "-f", "${Depends}, ${Pre-Depends}", package]
            )
            guard status == 0 else { continue }
            for alternative in output.split(separator: ",") {
                for choice in alternative.split(separator: "|") {
                    let name = choice.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init)
                    if let name = name?.split(separator: ":").first.map(String.init), !name.isEmpty {
                        queue.append(name)
                    }
                }
            }
        }
        return closure
    }
}
