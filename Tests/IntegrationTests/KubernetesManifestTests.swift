import Foundation
import SlaprobeTesting
import Testing

extension ArtifactTests {
    /// The Kubernetes manifests: strict validation and lint, the PrometheusRule is the generated copy of the
    /// rules file, and the manifests agree with each other and carry a valid config.
    @Suite struct KubernetesManifestTests {
        @Test func kubernetesManifestsValidateStrictlyAndLint() throws {
            let manifests = try ArtifactTests.files(in: "deploy/kubernetes", extension: "yaml")
            #expect(manifests.count >= 6)
            let (status, output) = try Harness.run(
                try ArtifactTests.tool("kubernetes-validate"),
                ["--strict"] + manifests
            )
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
                try ArtifactTests.tool("yamllint"),
                ["--strict", "-c", ArtifactTests.path("deploy/yamllint.yml"), ArtifactTests.path("deploy")]
            )
            #expect(lintStatus == 0, "yamllint:\n\(lint)")
        }

        @Test func prometheusRuleIsTheGeneratedCopyOfTheRulesFile() throws {
            let (status, generated) = try Harness.run(
                ArtifactTests.path("deploy/kubernetes/generate-prometheusrule"),
                []
            )
            #expect(status == 0, "\(generated)")
            let committed = try ArtifactTests.read("deploy/kubernetes/prometheusrule.yaml")
            #expect(
                generated == committed,
                "deploy/kubernetes/prometheusrule.yaml is stale: run deploy/kubernetes/generate-prometheusrule > it"
            )
            // Independently of the generator: the same groups, parsed, and promtool accepts them.
            let directory = try Harness.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let extracted = directory.appendingPathComponent("groups.yml").path
            let facts = try ArtifactTests.python(
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
            let (checkStatus, check) = try Harness.run(ArtifactTests.promtool, ["check", "rules", extracted])
            #expect(checkStatus == 0, "\(check)")
        }

        @Test func manifestsAgreeWithEachOtherAndTheConfigMapIsAValidConfig() throws {
            let directory = try Harness.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let config = directory.appendingPathComponent("slaprobe.yml").path
            let facts = try ArtifactTests.python(
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
                try ArtifactTests.files(in: "deploy/kubernetes", extension: "yaml").map {
                    URL(fileURLWithPath: $0).lastPathComponent
                }
            )
            #expect(
                resources == manifests.subtracting(["kustomization.yaml"]),
                "kustomization lists \(resources.sorted())"
            )
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
}
