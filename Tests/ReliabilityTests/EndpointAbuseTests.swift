import Foundation
import SlaprobeTesting
import Synchronization
import Testing

/// A flag one task sets and another polls.
final class StopFlag: Sendable {
    private let value = Atomic(false)
    var isSet: Bool { value.load(ordering: .relaxed) }
    func set() { value.store(true, ordering: .relaxed) }
}

extension Reliability {
    /// slaprobe's own endpoints under load and abuse, while it probes: `wrk` with 500 connections on /metrics,
    /// slowloris clients, oversized URLs and headers, unknown methods.
    @Suite struct EndpointAbuseTests {
        static func config(okPort: Int) -> String {
            """
            global:
              jitter: 0%
              windows: [10s, 1m]
            probes:
              - name: healthy
                kind: http
                url: http://127.0.0.1:\(okPort)/
                interval: 100ms
                timeout: 90ms
              - name: healthy-slow
                kind: http
                url: http://127.0.0.1:\(okPort)/
                interval: 1s
            """
        }

        /// slaprobe probing the misbehaving servers' `ok` endpoint, ready, with its figures at the start.
        struct Running {
            let directory: URL
            let servers: MisbehavingServers
            let slaprobe: ManagedProcess
            let port: Int
            let startStats: ProcessStats
            let startMetrics: String

            var base: String { "http://127.0.0.1:\(port)" }
            var pid: Int32 { slaprobe.process.processIdentifier }
            /// Successful runs of the `healthy` probe at the start.
            var startHealthy: Double {
                Harness.sample(startMetrics, #"slaprobe_probes_total{probe="healthy",result="success"}"#) ?? 0
            }

            func stop() {
                slaprobe.stop()
                servers.stop()
                try? FileManager.default.removeItem(at: directory)
            }
        }

        /// Starts the misbehaving servers and slaprobe on ``config(okPort:)``, and waits until slaprobe is ready.
        static func start() async throws -> Running {
            let directory = try Harness.temporaryDirectory()
            let servers: MisbehavingServers
            do {
                servers = try await MisbehavingServers.start(in: directory)
            } catch {
                try? FileManager.default.removeItem(at: directory)
                throw error
            }
            var slaprobe: ManagedProcess?
            do {
                let (process, port, _) = try await Reliability.startSlaprobe(
                    config: Self.config(okPort: servers.port("ok")),
                    in: directory
                )
                slaprobe = process
                _ = try await Harness.poll("http://127.0.0.1:\(port)/readyz", timeout: 10) { $0.status == 200 }
                let startStats = try ProcessStats.read(process.process.processIdentifier)
                let startMetrics = await Harness.fetch("http://127.0.0.1:\(port)/metrics").bodyString
                return Running(
                    directory: directory,
                    servers: servers,
                    slaprobe: process,
                    port: port,
                    startStats: startStats,
                    startMetrics: startMetrics
                )
            } catch {
                slaprobe?.stop()
                servers.stop()
                try? FileManager.default.removeItem(at: directory)
                throw error
            }
        }

        /// Polls `/healthz` every 250 ms from 127.0.0.2 (as a kubelet would, from another address than the load)
        /// until `stop` is set; returns (polls, non-200 answers, slowest answer).
        static func pollHealth(port: Int, until stop: StopFlag) async -> (Int, Int, Double) {
            var polls = 0
            var failures = 0
            var slowest = 0.0
            while !stop.isSet {
                let started = Date()
                let status = RawConnection.get(port: port, path: "/healthz", source: "127.0.0.2", timeout: 2)
                slowest = max(slowest, Date().timeIntervalSince(started))
                polls += 1
                if status != 200 { failures += 1 }
                try? await Task.sleep(for: .milliseconds(250))
            }
            return (polls, failures, slowest)
        }

        /// Seconds until `/healthz` (from 127.0.0.2) answers 200 again, polling up to `limit` seconds; nil if never.
        static func recoveryTime(port: Int, limit: Double = 40) async -> Double? {
            let started = Date()
            while Date().timeIntervalSince(started) < limit {
                if RawConnection.get(port: port, path: "/healthz", source: "127.0.0.2", timeout: 1) == 200 {
                    return Date().timeIntervalSince(started)
                }
                try? await Task.sleep(for: .milliseconds(250))
            }
            return nil
        }

        @Test func wrkWith500ConnectionsOnMetricsLeavesTheSchedulerAndHealthAlone() async throws {
            let running = try await Self.start()
            defer { running.stop() }
            let (slaprobe, port, base, pid) = (running.slaprobe, running.port, running.base, running.pid)
            let (startStats, startMetrics, startHealthy) = (
                running.startStats, running.startMetrics, running.startHealthy
            )
            let started = Date()

            let duration = Int(Reliability.seconds("SLAPROBE_WRK_SECONDS", default: 60))
            let wrk = try ManagedProcess(
                "wrk",
                ["-t", "1", "-c", "500", "-d", "\(duration)s", "--timeout", "5s", base + "/metrics"],
                name: "wrk"
            )
            defer { wrk.stop() }
            let stop = StopFlag()
            async let health = Self.pollHealth(port: port, until: stop)
            let wrkStatus = await wrk.waitForExit(timeout: Double(duration) + 30)
            stop.set()
            let (polls, unhealthy, slowest) = await health
            let recovery = await Self.recoveryTime(port: port)

            let endMetrics = await Harness.fetch(base + "/metrics").bodyString
            let elapsed = Date().timeIntervalSince(started)
            let endStats = try ProcessStats.read(pid)
            let lag = Metrics.lagShare(
                before: Metrics.lagBuckets(startMetrics),
                after: Metrics.lagBuckets(endMetrics),
                within: "0.01"
            )
            let healthy =
                (Harness.sample(endMetrics, #"slaprobe_probes_total{probe="healthy",result="success"}"#) ?? 0)
                - startHealthy
            let summary = wrk.text.split(separator: "\n").filter {
                $0.contains("Requests/sec") || $0.contains("requests in") || $0.contains("Socket errors")
                    || $0.contains("Non-2xx") || $0.contains("Latency")
            }.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "; ")
            Reliability.report("wrk", "\(duration)s, 500 connections: \(summary)")
            Reliability.report(
                "wrk",
                "healthz: \(polls) polls, \(unhealthy) non-200, slowest \(String(format: "%.3f", slowest))s, 200 again \(recovery.map { String(format: "%.1f", $0) } ?? "never")s after wrk ended; lag <= 10 ms for \(String(format: "%.4f", lag.share)) of \(Int(lag.starts)) starts; healthy \(Int(healthy)) runs in \(String(format: "%.1f", elapsed))s; load average \(ProcessStats.loadAverage); start \(startStats), end \(endStats)"
            )
            #expect(wrkStatus == 0, "wrk: \(wrk.text)")
            #expect(slaprobe.process.isRunning)
            #expect(recovery != nil, "/healthz did not recover within 40 s after wrk ended")
            #expect(unhealthy == 0, "/healthz failed \(unhealthy) of \(polls) polls under load")
            #expect(lag.share >= 0.99, "scheduler lag p99 over 10 ms: \(lag.share) of \(lag.starts) within 10 ms")
            #expect(healthy >= elapsed / 0.1 * 0.95, "healthy probe ran \(healthy) times in \(elapsed)s")
            #expect(
                endStats.rssKiB <= startStats.rssKiB + 32 * 1024,
                "RSS \(startStats.rssKiB) -> \(endStats.rssKiB) KiB"
            )
        }

        @Test func oversizedRequestsAndUnknownMethodsGetA4xxAndChangeNothing() async throws {
            let running = try await Self.start()
            defer { running.stop() }
            let (port, base, pid, startStats) = (running.port, running.base, running.pid, running.startStats)

            // What libmicrohttpd and slaprobe answer; nil means the connection closed without a response.
            let longURL = "GET /metrics?" + String(repeating: "a", count: 1 << 20) + " HTTP/1.1\r\nHost: x\r\n\r\n"
            let manyHeaders =
                "GET /metrics HTTP/1.1\r\nHost: x\r\n"
                + (0..<10_000).map { "X-Header-\($0): value\r\n" }.joined() + "\r\n"
            let cases: [(String, String, Set<Int>)] = [
                ("1 MiB URL", longURL, [414]),
                ("10,000 headers", manyHeaders, [431]),
                (
                    "one 1 MiB header",
                    "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "b", count: 1 << 20))\r\n\r\n",
                    [431]
                ),
                ("unknown method on /metrics", "BREW /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", [405]),
                (
                    "unknown method on /healthz", "PURGE /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                    [405]
                ),
                ("GET /-/reload", "GET /-/reload HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", [405]),
                ("unknown path", "GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", [404]),
                // libmicrohttpd passes any method token to the handler, which answers 405 like any unknown method.
                ("not a method token", "G(T /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", [400, 405]),
                // RFC 9112 says 400; libmicrohttpd accepts it unless built strict. Harmless for a metrics endpoint.
                ("HTTP/1.1 without Host", "GET /metrics HTTP/1.1\r\nConnection: close\r\n\r\n", [200, 400]),
                ("garbage request line", "\u{1}\u{2}\u{3} nonsense\r\n\r\n", [400]),
                (
                    "2 MiB body to /-/reload", "POST /-/reload HTTP/1.1\r\nHost: x\r\nContent-Length: 2097152\r\n\r\n",
                    [413]
                ),
            ]
            for (name, request, expected) in cases {
                let connection = try RawConnection(port: port, receiveTimeout: 3)
                let sent = connection.send(request)
                let response = connection.receive(limit: 1 << 16)
                let status = RawConnection.status(response)
                Reliability.report(
                    "abuse",
                    "\(name): \(status.map(String.init) ?? "no response") (request fully sent: \(sent), \(response.count) bytes back)"
                )
                #expect(
                    status.map { expected.contains($0) } == true,
                    "\(name): got \(status.map(String.init) ?? "nothing"), expected \(expected)"
                )
            }

            let endStats = try ProcessStats.read(pid)
            Reliability.report("abuse", "start \(startStats), end \(endStats)")
            #expect(
                endStats.rssKiB <= startStats.rssKiB + 16 * 1024,
                "RSS \(startStats.rssKiB) -> \(endStats.rssKiB) KiB"
            )
            #expect(endStats.openFDs <= startStats.openFDs + 4)
            #expect(await Harness.fetch(base + "/healthz").status == 200)
            let metrics = await Harness.fetch(base + "/metrics").bodyString
            #expect((Harness.sample(metrics, #"slaprobe_probes_total{probe="healthy",result="success"}"#) ?? 0) > 0)
            #expect(Harness.sample(metrics, "slaprobe_config_last_reload_successful") == 1)
        }

        @Test func slowlorisClientsDoNotStarveTheHealthCheck() async throws {
            let running = try await Self.start()
            defer { running.stop() }
            let (slaprobe, port, base, pid) = (running.slaprobe, running.port, running.base, running.pid)
            let (startStats, startHealthy) = (running.startStats, running.startHealthy)

            // 300 clients on 127.0.0.3 (the web server's limit is 256) each send a request line, then one header
            // byte a second, which resets libmicrohttpd's 30 s inactivity timeout every time. The health check
            // comes from 127.0.0.2, as a kubelet comes from another address than an attacker.
            let clients = 300
            let seconds = Reliability.seconds("SLAPROBE_SLOWLORIS_SECONDS", default: 10)
            var connections: [RawConnection] = []
            defer { connections.removeAll() }
            for _ in 0..<clients {
                guard let connection = try? RawConnection(port: port, source: "127.0.0.3", receiveTimeout: 0.1) else {
                    break
                }
                connection.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                connections.append(connection)
            }
            let started = Date()
            var polls = 0
            var unhealthy = 0
            var firstFailureAfter: Double?
            var held = 0
            let header = Array("X-Slowloris: \(String(repeating: "z", count: 64))".utf8)
            var position = 0
            while Date().timeIntervalSince(started) < seconds {
                let byte = [header[position % header.count]]
                position += 1
                held = connections.reduce(0) { $0 + ($1.send(byte) ? 1 : 0) }
                for _ in 0..<2 {
                    let status = RawConnection.get(port: port, path: "/healthz", source: "127.0.0.2", timeout: 1)
                    polls += 1
                    if status != 200 {
                        unhealthy += 1
                        if firstFailureAfter == nil { firstFailureAfter = Date().timeIntervalSince(started) }
                    }
                    try await Task.sleep(for: .milliseconds(400))
                }
            }
            let stillOpen = connections.filter { !$0.peerClosed(within: 0) }.count
            let duringStats = try ProcessStats.read(pid)
            connections.removeAll()
            let recovered = await Self.recoveryTime(port: port)
            let endMetrics = await Harness.fetch(base + "/metrics").bodyString
            let elapsed = Date().timeIntervalSince(started)
            let healthy =
                (Harness.sample(endMetrics, #"slaprobe_probes_total{probe="healthy",result="success"}"#) ?? 0)
                - startHealthy
            Reliability.report(
                "slowloris",
                "\(clients) clients, \(held) still accepting bytes and \(stillOpen) open after \(Int(seconds))s; /healthz non-200 \(unhealthy) of \(polls) polls (first after \(firstFailureAfter.map { String(format: "%.1fs", $0) } ?? "never")); 200 again \(recovered.map { String(format: "%.1f", $0) } ?? "never")s after the clients left; healthy probe \(Int(healthy)) runs in \(String(format: "%.1f", elapsed))s; start \(startStats), during \(duringStats)"
            )
            #expect(slaprobe.process.isRunning)
            #expect(recovered != nil, "/healthz did not recover after the slowloris clients left")
            #expect(healthy >= elapsed / 0.1 * 0.9, "probes were held up: \(healthy) runs in \(elapsed)s")
            #expect(duringStats.rssKiB <= startStats.rssKiB + 32 * 1024)
            #expect(unhealthy == 0, "slowloris starved /healthz: \(unhealthy) of \(polls) polls failed")
        }
    }
}
