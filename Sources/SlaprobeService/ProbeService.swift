import Alerting
import Config
import Exposition
import Foundation
import HTTPClient
import HTTPServer
import Locking
import Logging
import Probing
import RollingWindows

/// The running prober: loads the configuration, schedules the probes on one ``TransferLoop``, collects results in
/// a ``ProbeStore`` and serves them over HTTP.
///
/// Data flows one way: ``ProbeScheduler`` → ``ProbeExecution`` (libcurl) → ``ProbeStore`` (counters, histograms,
/// rolling windows) → ``MetricsPage`` / ``WebRoutes``.
package final class ProbeService: Sendable {
    /// Settings that come from the command line, not the configuration file.
    package struct Options: Sendable {
        /// `--web.listen-address`.
        package var listenAddress: String
        /// A heartbeat older than this makes `/healthz` fail.
        package var stallAfter: Double
        /// The share of the configured probes this replica runs (`--shard`).
        package var shard: Shard
        /// TLS and basic auth for the endpoints (`--web.config.file`).
        package var web: WebConfig
        /// Receivers and storage given on the command line.
        package var alerting: AlertingOverrides
        /// Creates options.
        package init(
            listenAddress: String = ":9330",
            stallAfter: Double = 10,
            shard: Shard = .all,
            web: WebConfig = .none,
            alerting: AlertingOverrides = AlertingOverrides()
        ) {
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
    let loop: TransferLoop
    let store = ProbeStore()
    let scheduler: ProbeScheduler
    let configState = Locked(ConfigState())
    let startTime = Date().timeIntervalSince1970
    private let server = Locked<HTTPServer?>(nil)
    /// Alert delivery has its own libcurl loop, so a slow or failing receiver never delays a probe.
    let alertLoop = TransferLoop(name: "slaprobe-alerts")
    let engine = Locked<AlertEngine?>(nil)
    private let evaluation = Locked<Task<Void, Never>?>(nil)
    private let renderedMetrics = Locked<[ExpositionFormat: (at: Double, bytes: [UInt8])]>([:])

    /// Creates the service; nothing runs until ``start()``.
    package init(source: ConfigSource, options: Options, logger: Logger) {
        self.source = source
        self.options = options
        self.logger = logger
        let loop = TransferLoop(name: "slaprobe-probes")
        self.loop = loop
        let store = self.store
        scheduler = ProbeScheduler(
            loop: loop,
            userAgent: Version.userAgent,
            observer: ProbeScheduler.Observer(
                result: { store.record($0) },
                lag: { store.recordLag($0) },
                skipped: { store.recordSkipped($0) }
            )
        )
    }

    /// Loads the configuration, starts probing and serving. Throws if the configuration is invalid or the
    /// address cannot be bound.
    package func start() throws {
        let config = try source.loadService(overrides: options.alerting)
        let (host, port) = try ServerOptions.parseListenAddress(options.listenAddress)
        let owned = config.probes.probes.filter { options.shard.owns($0.name) }
        if config.alerting.enabled {
            alertLoop.start()
            let engine = try AlertEngine(
                config: config.alerting,
                expectedProbes: Set(owned.map(\.name)),
                transfers: alertLoop,
                logger: logger
            )
            engine.start()
            self.engine.withLock { $0 = engine }
        }
        loop.start()
        apply(config)
        startEvaluation(every: config.alerting.evaluationInterval)
        // A small thread pool, so a flood of /metrics requests cannot starve /healthz; a per-address limit, so one
        // client (a slowloris, a runaway scraper) cannot hold every connection slot.
        var serverOptions = ServerOptions(
            host: host,
            port: port,
            threading: .threadPool(4),
            connectionLimit: 1024,
            connectionTimeoutSeconds: 15,
            perAddressConnectionLimit: 32
        )
        if let tls = options.web.tls {
            serverOptions.tls = ServerTLS(
                certificatePEM: tls.certificatePEM,
                privateKeyPEM: tls.privateKey.value,
                minVersion: TLSVersion(rawValue: tls.minVersion) ?? .tls12,
                maxVersion: TLSVersion(rawValue: tls.maxVersion) ?? .tls13
            )
        }
        let extraHeaders = options.web.headers.map { ($0.name, $0.value) }
        var handler: @Sendable (ServerRequest) -> ServerResponse = { [self] request in
            var response = WebRoutes(service: self).handle(request)
            response.headers += extraHeaders
            return response
        }
        if !options.web.basicAuthUsers.isEmpty {
            handler = BasicAuthenticator(users: options.web.basicAuthUsers).protect(handler)
        }
        let server = try HTTPServer(options: serverOptions, handler: handler)
        self.server.withLock { $0 = server }
        logger.info(
            "slaprobe listening",
            metadata: [
                "address": "\(host.isEmpty ? "0.0.0.0" : host):\(server.port)", "probes": "\(owned.count)",
                "config": "\(source.description)", "shard": "\(options.shard)",
                "receivers": "\(config.alerting.receivers.map(\.description).joined(separator: ", "))",
                "tls": "\(options.web.tls != nil)", "basic_auth": "\(!options.web.basicAuthUsers.isEmpty)",
            ]
        )
    }

    /// The port the web server is bound to (after ``start()``).
    package var port: Int? { server.withLock { $0?.port } }

    /// Reloads the configuration; on error the running configuration stays and the error is returned.
    @discardableResult
    package func reload() -> Result<Void, Error> {
        do {
            let config = try source.loadService(overrides: options.alerting)
            let owned = config.probes.probes.filter { options.shard.owns($0.name) }
            try engine.withLock { engine in
                try engine?.update(config: config.alerting, expectedProbes: Set(owned.map(\.name)))
            }
            apply(config)
            startEvaluation(every: config.alerting.evaluationInterval)
            logger.info("configuration reloaded", metadata: ["probes": "\(owned.count)"])
            return .success(())
        } catch {
            configState.withLock { state in
                state.lastReloadSuccessful = false
                state.lastError = "\(error)"
            }
            renderedMetrics.withLock { $0 = [:] }
            logger.error(
                "configuration reload failed, keeping the running configuration",
                metadata: ["error": "\(error)"]
            )
            return .failure(error)
        }
    }

    /// Stops probing and serving; returns when the threads have ended.
    package func stop() async {
        scheduler.stop()
        evaluation.withLock { task in
            task?.cancel()
            task = nil
        }
        server.withLock { server in
            server?.stop()
            server = nil
        }
        loop.shutdown()
        if let engine = engine.withLock({ $0 }) { await engine.stop() }
        alertLoop.shutdown()
        logger.info("slaprobe stopped")
    }

    /// Evaluates the alert rules every `interval` seconds, off the probe and web threads.
    private func startEvaluation(every interval: Double) {
        guard let engine = engine.withLock({ $0 }) else { return }
        let task = Task.detached { [store] in
            // Fixed rate: each evaluation is due one interval after the previous one was due, not after it ended.
            var due = MonotonicTime.seconds() + interval
            while !Task.isCancelled {
                let wait = max(0, due - MonotonicTime.seconds())
                try? await Task.sleep(for: .milliseconds(Int(wait * 1000)))
                if Task.isCancelled { break }
                let monotonic = MonotonicTime.seconds()
                // Never catch up with back-to-back evaluations after a stall: skip to the next future tick.
                due = max(due + interval, monotonic + interval / 2)
                engine.evaluate(store.snapshots(at: monotonic), now: Date().timeIntervalSince1970)
            }
        }
        evaluation.withLock { previous in
            previous?.cancel()
            previous = task
        }
    }

    private func apply(_ loaded: ServiceConfig) {
        var config = loaded
        config.probes.probes = config.probes.probes.filter { options.shard.owns($0.name) }
        store.configure(config.probes.probes, windows: config.windowLengths)
        scheduler.update(config.probes.probes)
        configState.withLock { state in
            state.config = config
            state.lastReloadSuccessful = true
            state.lastSuccessTimestamp = Date().timeIntervalSince1970
            state.lastError = nil
        }
        renderedMetrics.withLock { $0 = [:] }
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
        let age = Double(MonotonicTime.now() - min(loop.lastHeartbeat, MonotonicTime.now())) / 1e9
        return age > options.stallAfter
            ? "probe scheduler stalled: no heartbeat for \(Int(age)) s" : nil
    }

    /// The `/metrics` body in `format`. Rendered at most every 100 ms: scrapers arriving together (HA Prometheus
    /// pairs, a flood) share one rendering.
    package func metrics(format: ExpositionFormat) -> [UInt8] {
        let now = MonotonicTime.seconds()
        if let cached = renderedMetrics.withLock({ $0[format] }), now - cached.at < 0.1 { return cached.bytes }
        let bytes = renderMetrics(format: format)
        renderedMetrics.withLock { $0[format] = (now, bytes) }
        // Let go of the page once it is too old to serve: a thousand probes' page is 13 MB, held between scrapes
        // for nothing. On the alert loop, never the probes' (freeing it unmaps memory).
        alertLoop.schedule(at: MonotonicTime.now() + 150_000_000) { [weak self] in
            self?.renderedMetrics.withLock { cache in
                let now = MonotonicTime.seconds()
                cache = cache.filter { now - $0.value.at < 0.1 }
            }
        }
        return bytes
    }

    private func renderMetrics(format: ExpositionFormat) -> [UInt8] {
        let state = configState.withLock { $0 }
        let engine = engine.withLock { $0 }
        return MetricsPage.render(
            store.snapshots(at: MonotonicTime.seconds(), exemplars: false),
            lag: store.schedulerLag,
            service: MetricsPage.ServiceState(
                lastReloadSuccessful: state.lastReloadSuccessful,
                lastReloadSuccessTimestamp: state.lastSuccessTimestamp,
                version: Version.number,
                revision: Version.revision,
                startTime: startTime
            ),
            format: format,
            extra: { writer in
                if let engine { AlertMetrics.write(engine, into: &writer) }
            }
        )
    }

    /// The `/api/v1/alerts` body.
    package func alertsJSON() -> [UInt8] {
        engine.withLock { $0 }?.alertsJSON() ?? Array(#"{"status":"success","data":{"alerts":[]}}"#.utf8)
    }
}
