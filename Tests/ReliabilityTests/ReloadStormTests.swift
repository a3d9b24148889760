import Foundation
import SlaprobeTesting
import Testing

extension Reliability {
    /// 100 reloads while probing, alternating SIGHUP and `POST /-/reload`, one in five with an invalid file; and
    /// 100 `POST /-/reload` at once.
    @Suite struct ReloadStormTests {
        @Test func aHundredReloadsLoseNoSamplesAndTheGaugeTracksTheLastAttempt() async throws {
            let directory = try Harness.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let servers = try await MisbehavingServers.start(in: directory)
            defer { servers.stop() }
            let url = "http://127.0.0.1:\(servers.port("ok"))/"
            // `steady` and `sparse` are in every valid file, unchanged; `extra` comes and goes.
            func config(withExtra: Bool) -> String {
                var text = """
                    global:
                      jitter: 0%
                      windows: [10s, 1m]
                    probes:
                      - name: steady
                        kind: http
                        url: \(url)
                        interval: 200ms
                      - name: sparse
                        kind: http
                        url: \(url)
                        interval: 5s

                    """
                if withExtra {
                    text += "  - name: extra\n    kind: http\n    url: \(url)\n    interval: 100ms\n"
                }
                return text
            }
            let (slaprobe, port, file) = try await Reliability.startSlaprobe(
                config: config(withExtra: false),
                in: directory
            )
            defer { slaprobe.stop() }
            let base = "http://127.0.0.1:\(port)"
            _ = try await Harness.poll(base + "/readyz", timeout: 10) { $0.status == 200 }
            let steadySeries = #"slaprobe_probes_total{probe="steady",result="success"}"#
            let sparseSeries = #"slaprobe_probes_total{probe="sparse",result="success"}"#
            let startMetrics = await Harness.fetch(base + "/metrics").bodyString
            let steadyStart = Harness.sample(startMetrics, steadySeries) ?? 0
            let sparseStart = Harness.sample(startMetrics, sparseSeries) ?? 0
            let started = Date()

            func reloadLogLines() -> Int {
                slaprobe.text.components(separatedBy: "configuration reloaded").count
                    + slaprobe.text.components(separatedBy: "configuration reload failed").count - 2
            }
            var previousSteady = steadyStart
            var gaugeMismatches: [String] = []
            var counterDrops: [String] = []
            var invalid = 0
            for index in 0..<100 {
                let valid = index % 5 != 4
                if valid {
                    try config(withExtra: index % 2 == 0).write(to: file, atomically: true, encoding: .utf8)
                } else {
                    invalid += 1
                    let broken = index % 10 == 4 ? "probes:\n  - name: [unclosed\n" : "global:\n  interval: soon\n"
                    try broken.write(to: file, atomically: true, encoding: .utf8)
                }
                if index % 2 == 0 {
                    let before = reloadLogLines()
                    slaprobe.signal(SIGHUP)
                    _ = try await slaprobe.waitForOutput(timeout: 5) { _ in reloadLogLines() > before }
                } else {
                    let status = await Harness.fetch(base + "/-/reload", method: "POST").status
                    #expect(status == (valid ? 200 : 500), "reload \(index): HTTP \(status)")
                }
                let metrics = await Harness.fetch(base + "/metrics").bodyString
                let gauge = Harness.sample(metrics, "slaprobe_config_last_reload_successful")
                if gauge != (valid ? 1 : 0) { gaugeMismatches.append("reload \(index): gauge \(gauge ?? -1)") }
                let steady = Harness.sample(metrics, steadySeries) ?? -1
                if steady < previousSteady { counterDrops.append("reload \(index): \(previousSteady) -> \(steady)") }
                previousSteady = steady
                try await Task.sleep(for: .milliseconds(50))
            }
            let endMetrics = await Harness.fetch(base + "/metrics").bodyString
            let elapsed = Date().timeIntervalSince(started)
            let steadyRuns = (Harness.sample(endMetrics, steadySeries) ?? 0) - steadyStart
            let sparseRuns = (Harness.sample(endMetrics, sparseSeries) ?? 0) - sparseStart
            let steadyExpected = elapsed / 0.2
            let sparseExpected = elapsed / 5
            Reliability.report(
                "reload storm",
                "100 reloads (\(invalid) invalid) in \(String(format: "%.1f", elapsed))s; steady (200ms) \(Int(steadyRuns)) runs, expected \(String(format: "%.1f", steadyExpected)); sparse (5s) \(Int(sparseRuns)) runs, expected \(String(format: "%.1f", sparseExpected)); gauge mismatches \(gaugeMismatches.count), counter drops \(counterDrops.count)"
            )
            #expect(slaprobe.process.isRunning)
            #expect(await Harness.fetch(base + "/healthz").status == 200)
            #expect(gaugeMismatches.isEmpty, "\(gaugeMismatches)")
            #expect(counterDrops.isEmpty, "\(counterDrops)")
            #expect(
                abs(steadyRuns - steadyExpected) <= max(2, steadyExpected * 0.1),
                "steady ran \(steadyRuns) times in \(elapsed)s, expected \(steadyExpected)"
            )
            // A probe kept unchanged by a reload keeps its schedule: a reload neither skips nor adds a run.
            #expect(
                abs(sparseRuns - sparseExpected) <= 1.5,
                "sparse (5s) ran \(sparseRuns) times in \(elapsed)s, expected \(sparseExpected)"
            )
        }

        /// A burst from one address (a script reloading in parallel) gets an answer on every connection: one
        /// reload runs at a time, the others are told to retry (429 with Retry-After); none is reset.
        @Test func aHundredConcurrentReloadPostsAllGetAnHTTPStatus() async throws {
            let directory = try Harness.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let servers = try await MisbehavingServers.start(in: directory)
            defer { servers.stop() }
            let url = "http://127.0.0.1:\(servers.port("ok"))/"
            var config = "global:\n  interval: 30s\n  windows: [1m, 5m]\nprobes:\n"
            for index in 0..<200 { config += "  - name: p\(index)\n    kind: http\n    url: \(url)\n" }
            let (slaprobe, port, _) = try await Reliability.startSlaprobe(config: config, in: directory)
            defer { slaprobe.stop() }
            let reload = "http://127.0.0.1:\(port)/-/reload"
            func reloadedLines() -> Int { slaprobe.text.components(separatedBy: "configuration reloaded").count - 1 }
            let before = reloadedLines()

            let results = await withTaskGroup(of: (Int, String, String?).self) { group in
                for _ in 0..<100 {
                    group.addTask {
                        let result = await Harness.fetch(reload, method: "POST", timeout: .seconds(30))
                        return (result.status, result.error?.description ?? "", result.header("retry-after"))
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let statuses = results.map(\.0)
            let errors = results.filter { $0.0 == 0 }.map(\.1)
            let ok = statuses.filter { $0 == 200 }.count
            let busy = results.filter { $0.0 == 429 }
            Reliability.report(
                "reload burst",
                "100 concurrent POST /-/reload: \(ok) reloaded, \(busy.count) told to retry, \(errors.count) without an answer"
            )
            #expect(errors.isEmpty, "\(errors.count) of 100 got no HTTP answer: \(Set(errors))")
            #expect(statuses.allSatisfy { [200, 429, 503].contains($0) }, "\(statuses)")
            #expect(ok >= 1)
            #expect(busy.allSatisfy { $0.2 == "1" }, "429 without Retry-After: 1")
            // Each 200 is one reload that ran, and nothing ran twice at once.
            _ = try await slaprobe.waitForOutput(timeout: 5) { _ in reloadedLines() - before >= ok }
            #expect(reloadedLines() - before == ok)
            #expect(await Harness.fetch(reload, method: "POST").status == 200)
            #expect(slaprobe.process.isRunning)
        }
    }
}
