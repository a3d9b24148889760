import Alerting
import Config
import Exposition
import FoundationEssentials
import HTTPClient
import HTTPServer
import Locking
import Logging
import Probing
import RollingWindows
import ServiceLifecycle

/// The running prober, as a composition root: loads the configuration and wires the parts, each a `Service` run by
/// one `ServiceGroup` (see ``services()``), and answers health, readiness and reload.
///
/// Data flows one way: ``ProbeScheduler`` → ``ProbeExecution`` (libcurl) → ``ProbeStore`` (counters, histograms,
/// rolling windows) → ``ProbeSnapshot`` → ``MetricsPage`` / ``WebRoutes`` / the ``AlertEngine``'s evaluator →
/// ``Outbox`` → ``Notifier``.
package final class ProbeService: Sendable {
    /// Settings that come from the command line, not the configuration file.
    package struct Options: Sendable {
        /// `--web.listen-address`.
        package var listenAddress: String
        /// A scheduler loop stalled for longer than this, in seconds, makes `/healthz` fail.
        package var stallAfter: Double
        /// The share of the configured probes this replica runs (`--shard`).
        package var shard: Shard
        /// TLS and basic auth for the endpoints (`--web.config.file`).
        package var web: WebConfig
        /// Receivers and storage given on the command line.
        package var alerting: AlertingOverrides
        /// Which runs get a log line of their own (`--log.results`).
        package var resultLog: ResultLogMode
        /// Creates options.
        package init(
            listenAddress: String = ":9330",
            stallAfter: Double = 10,
            shard: Shard = .all,
            web: WebConfig = .none,
            alerting: AlertingOverrides = AlertingOverrides(),
            resultLog: ResultLogMode = .failures
        ) {
            self.resultLog = resultLog
            self.listenAddress = listenAddress
            self.stallAfter = stallAfter
            self.shard = shard
            self.web = web
            self.alerting = alerting
        }
    }

    struct ConfigState {
        var config: ServiceConfig?
        var lastReloadSuccessful = true
        var lastSuccessTimestamp: Double = 0
        var lastError: String?
    }

    let source: ConfigSource
    let options: Options
    let logger: Logger
    /// The thread that starts probes: it runs the schedule's timers and nothing else.
    let loop: TransferLoop
    /// The threads that run the probes' transfers, one per core (up to four); a probe always runs on the same one.
    let probeLoops: [TransferLoop]
    let store = ProbeStore()
    let scheduler: ProbeScheduler
    let configState = Locked(ConfigState())
    let startTime = Date().timeIntervalSince1970
    /// Alert delivery has its own libcurl loop, so a slow or failing receiver never delays a probe.
    let alertLoop = TransferLoop(name: "slaprobe-alerts")
    let engine = Locked<AlertEngine?>(nil)
    let pages: MetricsPageCache
    let resultLog: ProbeResultLog
    private let clock: any Clock<Duration>
    /// The web server's port while it runs. Only the port is kept: the server's handler holds the service, so
    /// holding the server here would keep both alive for good.
    private let listeningPort = Locked<Int?>(nil)
    /// Reloads running or waiting for ``reloadSerially``.
    private let reloads = Locked(0)
    /// Held for the whole of a reload, so two never interleave their loads and applies.
    private let reloadSerially = Locked(())

    /// Creates the service; nothing loads or runs until ``services()``. `clock` is what the evaluation loop and the
    /// alert engine's flush ticker wait on.
    package init(
        source: ConfigSource,
        options: Options,
        logger: Logger,
        clock: any Clock<Duration> = ContinuousClock()
    ) {
        self.source = source
        self.options = options
        self.logger = logger
        self.clock = clock
        pages = MetricsPageCache(clock: clock)
        let loop = TransferLoop(name: "slaprobe-schedule", latencySensitive: true)
        self.loop = loop
        let cores = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))
        let probeLoops = (0..<cores).map { TransferLoop(name: "slaprobe-probes-\($0)") }
        self.probeLoops = probeLoops
        let store = self.store
        let resultLog = ProbeResultLog(logger: logger, mode: options.resultLog)
        self.resultLog = resultLog
        scheduler = ProbeScheduler(
            loop: loop,
            transfers: probeLoops,
            userAgent: Version.userAgent,
            observer: ProbeScheduler.Observer(
                result: { result in
                    store.record(result)
                    resultLog.record(result)
                },
                lag: { store.recordLag($0) },
                skipped: { store.recordSkipped($0) }
            )
        )
    }

    /// Loads the configuration and runs every part in one `ServiceGroup` until SIGTERM or SIGINT, then shuts them
    /// down gracefully. Throws if the configuration is invalid or the address cannot be bound.
    package func run() async throws {
        try await ServiceRunner.run(try services(), logger: logger)
        logger.info("slaprobe stopped")
    }

    /// Loads the configuration and returns the parts to run, in start order (a group shuts them down in reverse):
    /// alert delivery's loop, the notifier, the alert engine's flush ticker, the evaluation loop, the `/metrics`
    /// page cache, the transfer loops (the scheduler's and the probes', started together), SIGHUP reloads and the
    /// web server. Binds the listen address, so that an address in use fails here, before any part runs. Throws if
    /// the configuration is invalid or the address cannot be bound.
    package func services() throws -> [any Service] {
        let config = try source.loadService(overrides: options.alerting)
        for warning in config.probes.warnings {
            logger.warning("configuration warning", metadata: ["warning": "\(warning)"])
        }
        let (host, port) = try ServerOptions.parseListenAddress(options.listenAddress)
        let owned = config.probes.probes.filter { options.shard.owns($0.name) }
        var services: [any Service] = []
        if config.alerting.enabled {
            let engine = try AlertEngine(
                config: config.alerting,
                expectedProbes: Set(owned.map(\.name)),
                transfers: alertLoop,
                logger: logger,
                timer: clock
            )
            self.engine.withLock { $0 = engine }
            services += [TransferLoopService(loop: alertLoop), engine.notifier, engine]
            services.append(
                EvaluationLoop(
                    engine: engine,
                    store: store,
                    interval: { [configState, fallback = config.alerting.evaluationInterval] in
                        configState.withLock { $0.config?.alerting.evaluationInterval } ?? fallback
                    },
                    clock: clock
                )
            )
        }
        let server = try WebServer(
            options: serverOptions(host: host, port: port),
            handler: handler(),
            onListening: { [logger, source, options, listeningPort] bound in
                listeningPort.withLock { $0 = bound }
                logger.info(
                    "slaprobe listening",
                    metadata: [
                        "address": "\(host.isEmpty ? "0.0.0.0" : host):\(bound)", "probes": "\(owned.count)",
                        "config": "\(source.description)", "shard": "\(options.shard)",
                        "receivers": "\(config.alerting.receivers.map(\.description).joined(separator: ", "))",
                        "tls": "\(options.web.tls != nil)", "basic_auth": "\(!options.web.basicAuthUsers.isEmpty)",
                    ]
                )
            },
            onStopped: { [listeningPort] in listeningPort.withLock { $0 = nil } }
        )
        apply(config)
        // Shut down in reverse: the scheduler stops starting probes before the transfer loops end their runs.
        services.append(pages)
        services += [
            // The scheduler's loop stops before the probes' loops end their runs.
            TransferLoopService(loops: [loop] + probeLoops, beforeShutdown: { [scheduler] in scheduler.stop() }),
            HangupReload(reload: { [self] in reload() }),
            server,
        ]
        return services
    }

    /// The port the web server is bound to, while it runs.
    package var port: Int? { listeningPort.withLock { $0 } }

    /// Reloads the configuration, after any reload already running; on error the running configuration stays
    /// and the error is returned.
    @discardableResult
    package func reload() -> Result<Void, Error> {
        reloads.withLock { $0 += 1 }
        defer { reloads.withLock { $0 -= 1 } }
        return reloadSerially.withLock { _ in performReload() }
    }

    /// Reloads the configuration unless a reload is already running or waiting, in which case it returns `nil`
    /// at once: a burst of `POST /-/reload` runs one reload, and the rest are told to retry, not queued on the
    /// web server's few threads.
    package func reloadIfIdle() -> Result<Void, Error>? {
        let idle = reloads.withLock { count in
            guard count == 0 else { return false }
            count += 1
            return true
        }
        guard idle else { return nil }
        defer { reloads.withLock { $0 -= 1 } }
        return reloadSerially.withLock { _ in performReload() }
    }

    private func performReload() -> Result<Void, Error> {
        do {
            let config = try source.loadService(overrides: options.alerting)
            for warning in config.probes.warnings {
                logger.warning("configuration warning", metadata: ["warning": "\(warning)"])
            }
            let owned = config.probes.probes.filter { options.shard.owns($0.name) }
            try engine.withLock { engine in
                try engine?.update(config: config.alerting, expectedProbes: Set(owned.map(\.name)))
            }
            apply(config)
            logger.info("configuration reloaded", metadata: ["probes": "\(owned.count)"])
            return .success(())
        } catch {
            configState.withLock { state in
                state.lastReloadSuccessful = false
                state.lastError = "\(error)"
            }
            pages.clear()
            logger.error(
                "configuration reload failed, keeping the running configuration",
                metadata: ["error": "\(error)"]
            )
            return .failure(error)
        }
    }

    private func apply(_ loaded: ServiceConfig) {
        var config = loaded
        config.probes.probes = config.probes.probes.filter { options.shard.owns($0.name) }
        store.configure(config.probes.probes, windows: config.windowLengths, counting: config.countingWindowLengths)
        resultLog.keep(only: Set(config.probes.probes.map(\.name)))
        scheduler.update(config.probes.probes)
        configState.withLock { state in
            state.config = config
            state.lastReloadSuccessful = true
            state.lastSuccessTimestamp = Date().timeIntervalSince1970
            state.lastError = nil
        }
        pages.clear()
    }

    /// Why the service is not ready, or `nil` when it is: configuration loaded and every probe has run once.
    package var notReadyReason: String? {
        guard configState.withLock({ $0.config != nil }) else { return "configuration not loaded" }
        let waiting = store.probesWithoutResult
        guard waiting.isEmpty else { return "waiting for the first run of: \(waiting.joined(separator: ", "))" }
        return nil
    }

    /// Why the service is not healthy, or `nil` when the scheduler loop is alive.
    package var unhealthyReason: String? {
        let stalled = loop.stalledSeconds
        if stalled > options.stallAfter { return "probe scheduler stalled for \(Int(stalled)) s" }
        let transfers = probeLoops.map(\.stalledSeconds).max() ?? 0
        return transfers > options.stallAfter ? "probe transfers stalled for \(Int(transfers)) s" : nil
    }

    /// Above this many probes `/metrics` is written while the scraper reads it (``MetricsStream``), at about
    /// 11 KB a probe; below, the page is rendered whole and shared by scrapers arriving together.
    package static let streamedPageProbes = 100

    /// The `/metrics` body in `format`: streamed above ``streamedPageProbes`` probes, otherwise ``metrics(format:)``.
    package func metricsBody(format: ExpositionFormat) -> ServerResponse.Body {
        guard store.probeCount > Self.streamedPageProbes else { return .bytes(metrics(format: format)) }
        let (snapshots, lag, service, extra) = pageInputs()
        return .stream(MetricsPage.stream(snapshots, lag: lag, service: service, format: format, extra: extra))
    }

    /// The `/metrics` page in `format`, whole. Rendered at most every 100 ms: scrapers arriving together share one
    /// rendering (see ``MetricsPageCache``).
    package func metrics(format: ExpositionFormat) -> [UInt8] {
        pages.page(format) {
            let (snapshots, lag, service, extra) = pageInputs()
            return MetricsPage.render(snapshots, lag: lag, service: service, format: format, extra: extra)
        }
    }

    /// What the page shows: every probe's snapshot (without evidence), the scheduler's lag, the service's state
    /// and the alert families.
    private func pageInputs() -> (
        [ProbeSnapshot], LatencyHistogram, MetricsPage.ServiceState, (inout ExpositionWriter) -> Void
    ) {
        let state = configState.withLock { $0 }
        let engine = engine.withLock { $0 }
        let service = MetricsPage.ServiceState(
            lastReloadSuccessful: state.lastReloadSuccessful,
            lastReloadSuccessTimestamp: state.lastSuccessTimestamp,
            version: Version.number,
            revision: Version.revision,
            startTime: startTime
        )
        return (
            store.snapshots(at: MonotonicTime.seconds(), exemplars: false), store.schedulerLag, service,
            { writer in if let engine { AlertMetrics.write(engine, into: &writer) } }
        )
    }

    /// The `/api/v1/alerts` body.
    package func alertsJSON() -> [UInt8] {
        engine.withLock { $0 }?.alertsJSON() ?? Array(#"{"status":"success","data":{"alerts":[]}}"#.utf8)
    }
}
