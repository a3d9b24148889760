import Foundation
import SlaprobeTesting
import Testing

extension ArtifactTests {
    /// `alerts/slaprobe.rules.yml`: promtool check and unit tests, recordings read only where defined, every alert
    /// tested firing and quiet, every runbook link resolves.
    @Suite struct AlertRuleTests {
        @Test func rulesPassPromtoolCheckAndTheirUnitTests() throws {
            let (checkStatus, check) = try Harness.run(
                ArtifactTests.promtool,
                ["check", "rules", ArtifactTests.path("alerts/slaprobe.rules.yml")]
            )
            #expect(checkStatus == 0, "promtool check rules:\n\(check)")
            #expect(check.contains("SUCCESS"), "\(check)")

            let tests = try ArtifactTests.files(in: "alerts/tests", extension: "yml")
            #expect(tests.count >= 4, "alerts/tests holds \(tests)")
            let (testStatus, output) = try Harness.run(ArtifactTests.promtool, ["test", "rules"] + tests)
            #expect(testStatus == 0, "promtool test rules:\n\(output)")
            #expect(!output.contains("FAILED"), "\(output)")
        }

        /// Rule groups are evaluated independently and in no defined order (promtool walks them in Go map order), so a
        /// rule reading a recording from another group sees the previous evaluation's value, or this one's, at random.
        /// Every rule must read only recordings defined before it in its own group.
        @Test func everyRuleReadsOnlyRecordingsDefinedEarlierInItsOwnGroup() throws {
            let facts = try ArtifactTests.python(
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
            let facts = try ArtifactTests.python(
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
            let anchors = try ArtifactTests.markdownAnchors(ArtifactTests.read("docs/operations.md"))
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
    }
}
