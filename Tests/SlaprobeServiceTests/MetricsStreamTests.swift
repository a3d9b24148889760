import Config
import Exposition
import HTTPClient
import Logging
import Probing
import RollingWindows
import ServiceLifecycle
import Testing

@testable import SlaprobeService

/// `/metrics` written while the scraper reads it: the same bytes as the page rendered whole, in chunks of about
/// 64 KB, never the whole page at once.
@Suite struct MetricsStreamTests {
    /// 150 probes, every other one observing a cache, and a two-step journey; each fed five traced runs.
    static func store() -> ProbeStore {
        let journey = JourneyConfig(steps: [
            JourneyStep(name: "pay", url: "http://t/pay", latencyThreshold: .milliseconds(350)),
            JourneyStep(name: "check", url: "http://t/check"),
        ])
        var probes = (0..<150).map { index in
            var probe = ProbeConfig(name: "p\(index)", kind: .http, url: "http://t/\(index)")
            if index.isMultiple(of: 2) { probe.cache = .header(name: "X-Cache") }
            return probe
        }
        probes.append(ProbeConfig(name: "buy", kind: .journey, url: "http://t", journey: journey))
        let store = ProbeStore()
        store.configure(probes, windows: [60, 300])
        for run in 0..<5 {
            for (index, probe) in probes.enumerated() {
                var result = ProbeResult(
                    probe: probe.name,
                    startedAt: 1_764_789_000 + Double(run),
                    monotonicStart: Double(run),
                    latency: 0.01 * Double(1 + (index + run) % 30),
                    status: 200,
                    cache: run.isMultiple(of: 2) ? .hit : .miss,
                    failure: (index + run).isMultiple(of: 7) ? .timeout : nil,
                    requestID: "r\(index)-\(run)",
                    traceID: "4bf92f3577b34da6a3ce929d0e0e\(1000 + run)"
                )
                if probe.kind == .journey {
                    result.steps = [
                        StepResult(name: "pay", latency: 0.1, status: 200, requestID: "pay\(run)"),
                        StepResult(name: "check", latency: 0.2, status: 200, requestID: "check\(run)"),
                    ]
                }
                store.record(result)
            }
        }
        return store
    }

    static let service = MetricsPage.ServiceState(
        lastReloadSuccessful: true,
        lastReloadSuccessTimestamp: 1_764_789_000,
        version: "v",
        revision: "r",
        startTime: 1_764_788_000
    )

    /// The page without the process's own families, which change between two writings.
    static func withoutProcessMetrics(_ bytes: [UInt8]) -> [Substring] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n").filter { !$0.contains("process_") }
    }

    @Test(arguments: [ExpositionFormat.text, .openMetrics], [1, 1000, 65_536, 1_000_000])
    func theStreamWritesThePageRenderedWhole(format: ExpositionFormat, readSize: Int) {
        let snapshots = Self.store().snapshots(at: 5, exemplars: false)
        let extra: (inout ExpositionWriter) -> Void = { w in
            w.family("extra_family", type: .gauge, help: "Added by another module.")
            w.gauge("extra_family", .empty, 1)
        }
        let whole = MetricsPage.render(
            snapshots,
            lag: LatencyHistogram(bounds: [0.001]),
            service: Self.service,
            format: format,
            extra: extra
        )
        let stream = MetricsPage.stream(
            snapshots,
            lag: LatencyHistogram(bounds: [0.001]),
            service: Self.service,
            format: format,
            extra: extra
        )
        var streamed: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: readSize)
        var reads = 0
        var largestHeld = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { stream.read(into: $0) }
            if count == 0 { break }
            #expect(count <= readSize)
            streamed += buffer[0..<count]
            largestHeld = max(largestHeld, stream.heldBytes)
            reads += 1
        }
        #expect(whole.count > 1_000_000, "a page of more than a megabyte, to be written in many chunks")
        #expect(Self.withoutProcessMetrics(streamed) == Self.withoutProcessMetrics(whole))
        #expect(streamed.count > whole.count - 2000 && streamed.count < whole.count + 2000)
        if format == .openMetrics { #expect(streamed.suffix(6) == Array("# EOF\n".utf8)) }
        // Never the whole page: a chunk, plus at most one probe's rows past it.
        #expect(largestHeld < MetricsStream.chunkBytes + 32 * 1024)
        #expect(buffer.withUnsafeMutableBytes { stream.read(into: $0) } == 0, "and stays complete")
    }

    @Test func aPageOfFewProbesIsRenderedWholeAndOfManyStreamed() async throws {
        try await Self.whileRunning(probes: 3) { service in
            if case .bytes = service.metricsBody(format: .text) {} else { Issue.record("3 probes: expected a page") }
        }
        try await Self.whileRunning(probes: ProbeService.streamedPageProbes + 1) { service in
            guard case .stream(let stream) = service.metricsBody(format: .text) else {
                Issue.record("\(ProbeService.streamedPageProbes + 1) probes: expected a stream")
                return
            }
            var page: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 16_384)
            while case let count = buffer.withUnsafeMutableBytes({ stream.read(into: $0) }), count > 0 {
                page += buffer[0..<count]
            }
            #expect(Self.withoutProcessMetrics(page) == Self.withoutProcessMetrics(service.metrics(format: .text)))
        }
    }

    /// Runs a service of `probes` probes (an unreachable target, hourly) until `body` returns, then shuts it down.
    static func whileRunning(probes: Int, _ body: (ProbeService) async throws -> Void) async throws {
        let service = ProbeService(
            source: .fixed(config(probes: probes)),
            options: .init(listenAddress: "127.0.0.1:0"),
            logger: Logger(label: "test")
        )
        let group = ServiceGroup(services: try service.services(), logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let deadline = ContinuousClock.now + .seconds(30)
            while service.port == nil && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            try await body(service)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    static func config(probes: Int) -> SlaprobeConfig {
        SlaprobeConfig(
            global: GlobalConfig(),
            probes: (0..<probes).map {
                ProbeConfig(name: "p\($0)", kind: .http, url: "http://127.0.0.1:1/", interval: .seconds(3600))
            },
            sourceFile: "test"
        )
    }
}
