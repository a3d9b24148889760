import Config
import Exposition
import Foundation
import HTTPClient
import Probing
import RollingWindows
import Testing

@testable import SlaprobeService

/// A journey's per-step families on `/metrics`, and none of them for plain probes.
struct JourneyMetricsTests {
    static let service = MetricsPage.ServiceState(
        lastReloadSuccessful: true,
        lastReloadSuccessTimestamp: 0,
        version: "v",
        revision: "r",
        startTime: 0
    )

    static func page(_ store: ProbeStore, _ format: ExpositionFormat = .text) -> String {
        String(
            decoding: MetricsPage.render(
                store.snapshots(at: 10, exemplars: false),
                lag: store.schedulerLag,
                service: service,
                format: format
            ),
            as: UTF8.self
        )
    }

    /// A two-step journey (`pay`, threshold 350 ms; `check`, none) and a plain probe, fed three runs: two
    /// succeed, the third fails at `check` with `timeout`.
    static func store() -> ProbeStore {
        let journey = JourneyConfig(steps: [
            JourneyStep(name: "pay", url: "http://t/pay", latencyThreshold: .milliseconds(350)),
            JourneyStep(name: "check", url: "http://t/check"),
        ])
        let store = ProbeStore()
        store.configure(
            [
                ProbeConfig(name: "buy", kind: .journey, url: "http://t", journey: journey),
                ProbeConfig(name: "plain", kind: .http, url: "http://t/"),
            ],
            windows: [60]
        )
        for run in 0..<3 {
            let failed = run == 2
            let steps = [
                StepResult(name: "pay", latency: 0.1 * Double(run + 1), status: 200, requestID: "p\(run)"),
                StepResult(
                    name: "check",
                    latency: failed ? 2 : 0.5,
                    failure: failed ? .timeout : nil,
                    requestID: "c\(run)"
                ),
            ]
            store.record(
                ProbeResult(
                    probe: "buy",
                    startedAt: 0,
                    monotonicStart: Double(run),
                    latency: steps.map(\.latency).reduce(0, +),
                    failure: failed ? .timeout : nil,
                    requestID: "p\(run)",
                    steps: steps
                )
            )
            store.record(ProbeResult(probe: "plain", startedAt: 0, monotonicStart: Double(run), requestID: "x"))
        }
        return store
    }

    @Test func stepFamiliesCarryEachStepsHistogramFailuresAndWindowQuantiles() {
        let page = Self.page(Self.store())
        let expected = [
            "# TYPE slaprobe_probe_step_duration_seconds histogram",
            #"slaprobe_probe_step_duration_seconds_bucket{probe="buy",step="pay",le="0.25"} 2"#,
            #"slaprobe_probe_step_duration_seconds_bucket{probe="buy",step="pay",le="0.35"} 3"#,
            #"slaprobe_probe_step_duration_seconds_bucket{probe="buy",step="pay",le="+Inf"} 3"#,
            #"slaprobe_probe_step_duration_seconds_sum{probe="buy",step="pay"} 0.6"#,
            #"slaprobe_probe_step_duration_seconds_count{probe="buy",step="check"} 3"#,
            "# TYPE slaprobe_probe_step_failures_total counter",
            #"slaprobe_probe_step_failures_total{probe="buy",step="check",reason="timeout"} 1"#,
            #"slaprobe_probe_step_failures_total{probe="buy",step="pay",reason="timeout"} 0"#,
            "# TYPE slaprobe_window_step_latency_seconds summary",
            #"slaprobe_window_step_latency_seconds{probe="buy",step="pay",window="1m",quantile="0.5"} 0.2"#,
            #"slaprobe_window_step_latency_seconds{probe="buy",step="check",window="1m",quantile="0.99"} 2"#,
        ]
        for line in expected { #expect(page.contains(line + "\n"), "\(line)") }
        // The journey's end-to-end result is in the ordinary families.
        #expect(page.contains(#"slaprobe_probes_total{probe="buy",result="failure"} 1"# + "\n"))
        #expect(page.contains(#"slaprobe_window_latency_seconds{probe="buy",window="1m",quantile="0.99"} 2.3"# + "\n"))
        // No bucket at a threshold the step does not have, and nothing per step for the plain probe.
        #expect(!page.contains(#"step="check",le="0.35""#))
        #expect(!page.contains(#"probe="plain",step"#))
    }

    @Test func aPageOfPlainProbesHasNoStepFamiliesAtAll() {
        let store = ProbeStore()
        store.configure([ProbeConfig(name: "plain", kind: .http, url: "http://t/")], windows: [60])
        store.record(ProbeResult(probe: "plain", startedAt: 0, monotonicStart: 1, requestID: "x"))
        #expect(!Self.page(store).contains("step"))
    }

    @Test func promtoolAcceptsTheStepFamilies() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool") else { return }
        for format in [ExpositionFormat.text] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/promtool")
            process.arguments = ["check", "metrics"]
            let input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = output
            try process.run()
            input.fileHandleForWriting.write(Data(Self.page(Self.store(), format).utf8))
            try input.fileHandleForWriting.close()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(format): \(text)")
            #expect(!text.contains("step"), "\(format): \(text)")
        }
    }

    @Test func reloadKeepsStepCountersWhileTheStepsStayTheSame() {
        let store = Self.store()
        let journey = JourneyConfig(steps: [
            JourneyStep(name: "pay", url: "http://t/pay", latencyThreshold: .milliseconds(350)),
            JourneyStep(name: "check", url: "http://t/check"),
        ])
        let probe = ProbeConfig(name: "buy", kind: .journey, url: "http://t", labels: [], journey: journey)
        store.configure([probe], windows: [60])
        #expect(store.snapshots(at: 10).first?.steps.map(\.duration.count) == [3, 3])
        var changed = journey
        changed.steps[1].latencyThreshold = .seconds(1)
        store.configure([ProbeConfig(name: "buy", kind: .journey, url: "http://t", journey: changed)], windows: [60])
        let steps = store.snapshots(at: 10).first?.steps ?? []
        #expect(steps.map(\.duration.count) == [0, 0])
        #expect(steps.last?.duration.upperBounds.contains(1) == true)
    }
}
