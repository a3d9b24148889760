import Config
import Exposition
import Foundation
import HTTPClient
import HTTPServer
import Logging
import Probing
import Synchronization

/// The running prober: loads the configuration, schedules the probes on one ``TransferLoop``, collects results in
/// a ``ProbeStore`` and serves them over HTTP.
///
/// Data flows one way: ``ProbeScheduler`` → ``ProbeExecution`` (libcurl) → ``ProbeStore`` (counters, histograms,
/// rolling windows) → ``MetricsPage`` / ``WebRoutes``.
public final class ProbeService: Sendable {
    /// Settings that come from the command line, not the configuration file.
    public struct Options: Sendable {
        /// `--web.listen-address`.
        public var listenAddress: String
        /// A heartbeat older than this makes `/healthz` fail.
        public var stallAfter: Double
        /// The share of the configured probes this replica runs (`--shard`).
        public var shard: Shard
        /// TLS and basic auth for the endpoints (`--web.config.file`).
        public var web: WebConfig
        /// Creates options.
        public init(
            listenAddress: String = ":9330",
            stallAfter: Double = 10,
            shard: Shard = .all,
            web: WebConfig = .none
        ) {
            self.listenAddress = listenAddress
            self.stallAfter = stallAfter
            self.shard = shard
            self.web = web
        }
    }

    struct ConfigState {
        var config: SlaprobeConfig?
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
    let configState = Mutex(ConfigState())
    let startTime = Date().timeIntervalSince1970
    private let server = Mutex<HTTPServer?>(nil)

    /// Creates the service; nothing runs until ``start()``.
    public init(source: ConfigSource, options: Options, logger: Logger) {
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
    public func start() throws {
        let config = try source.load()
        let (host, port) = try ServerOptions.parseListenAddress(options.listenAddress)
        loop.start()
        apply(config)
        var serverOptions = ServerOptions(host: host, port: port, threading: .internalThread, connectionLimit: 256)
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
                "address": "\(host.isEmpty ? "0.0.0.0" : host):\(server.port)", "probes": "\(config.probes.count)",
                "config": "\(source.description)", "shard": "\(options.shard)",
                "tls": "\(options.web.tls != nil)", "basic_auth": "\(!options.web.basicAuthUsers.isEmpty)",
            ]
        )
    }

    /// The port the web server is bound to (after ``start()``).
    public var port: Int? { server.withLock { $0?.port } }

    /// Reloads the configuration; on error the running configuration stays and the error is returned.
    @discardableResult
    public func reload() -> Result<Void, Error> {
        do {
            let config = try source.load()
            apply(config)
            logger.info("configuration reloaded", metadata: ["probes": "\(config.probes.count)"])
            return .success(())
        } catch {
            configState.withLock { state in
                state.lastReloadSuccessful = false
                state.lastError = "\(error)"
            }
            logger.error(
                "configuration reload failed, keeping the running configuration",
                metadata: ["error": "\(error)"]
            )
            return .failure(error)
        }
    }

    /// Stops probing and serving; returns when the threads have ended.
    public func stop() {
        scheduler.stop()
        server.withLock { server in
            server?.stop()
            server = nil
        }
        loop.shutdown()
        logger.info("slaprobe stopped")
    }

    private func apply(_ loaded: SlaprobeConfig) {
        var config = loaded
        config.probes = config.probes.filter { options.shard.owns($0.name) }
        let windows = config.global.windows.map { $0.inSeconds }
        store.configure(config.probes, windows: windows)
        scheduler.update(config.probes)
        configState.withLock { state in
            state.config = config
            state.lastReloadSuccessful = true
            state.lastSuccessTimestamp = Date().timeIntervalSince1970
            state.lastError = nil
        }
    }

    /// Why the service is not ready, or `nil` when it is: configuration loaded and every probe has run once.
    public var notReadyReason: String? {
        guard configState.withLock({ $0.config != nil }) else { return "configuration not loaded" }
        let waiting = store.probesWithoutResult
        guard waiting.isEmpty else { return "waiting for the first run of: \(waiting.joined(separator: ", "))" }
        return nil
    }

    /// Why the service is not healthy, or `nil` when the scheduler loop is alive.
    public var unhealthyReason: String? {
        let age = Double(MonotonicTime.now() - min(loop.lastHeartbeat, MonotonicTime.now())) / 1e9
        return age > options.stallAfter
            ? "probe scheduler stalled: no heartbeat for \(Int(age)) s" : nil
    }

    /// The `/metrics` body in `format`.
    public func metrics(format: ExpositionFormat) -> [UInt8] {
        let state = configState.withLock { $0 }
        return MetricsPage.render(
            store.snapshots(at: MonotonicTime.seconds()),
            lag: store.schedulerLag,
            service: MetricsPage.ServiceState(
                lastReloadSuccessful: state.lastReloadSuccessful,
                lastReloadSuccessTimestamp: state.lastSuccessTimestamp,
                version: Version.number,
                revision: Version.revision,
                startTime: startTime
            ),
            format: format
        )
    }
}
