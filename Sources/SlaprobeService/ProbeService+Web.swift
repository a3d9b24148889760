import Config
import HTTPClient
import HTTPServer

extension ProbeService {
    /// The nice value of the web server's threads: at 10 they get about a tenth of the CPU that a thread at the
    /// process's priority gets when both want it, and all of it when nothing else runs.
    static let handlerNice = 10

    /// A small thread pool, so a flood of /metrics requests cannot starve /healthz; a per-address limit, so one
    /// client (a slowloris, a runaway scraper) cannot hold every connection slot. The limit is a quarter of
    /// them: libmicrohttpd closes a connection over it without an answer (the client sees a reset), so it must
    /// sit well above what a legitimate burst from one address (a script's 100 parallel reloads) opens. TLS from
    /// `--web.config.file`. The serving threads run at a lower priority (``handlerNice``): a scrape storm may slow
    /// the answers, never a probe start.
    func serverOptions(host: String, port: Int) -> ServerOptions {
        var serverOptions = ServerOptions(
            host: host,
            port: port,
            threading: .threadPool(4),
            connectionLimit: 1024,
            connectionTimeoutSeconds: 15,
            perAddressConnectionLimit: 256
        )
        serverOptions.handlerNice = Self.handlerNice
        if let tls = options.web.tls {
            serverOptions.tls = ServerTLS(
                certificatePEM: tls.certificatePEM,
                privateKeyPEM: tls.privateKey.value,
                minVersion: TLSVersion(rawValue: tls.minVersion) ?? .tls12,
                maxVersion: TLSVersion(rawValue: tls.maxVersion) ?? .tls13
            )
        }
        return serverOptions
    }

    /// The routes over this service's answers, with the configured extra headers and basic auth.
    func handler() -> @Sendable (ServerRequest) -> ServerResponse {
        let routes = WebRoutes(
            metrics: { [self] in metricsBody(format: $0) },
            unhealthyReason: { [self] in unhealthyReason },
            notReadyReason: { [self] in notReadyReason },
            reload: { [self] in reloadIfIdle() },
            snapshots: { [store] in store.snapshots(at: MonotonicTime.seconds()) },
            alerts: { [engine] in engine.withLock { $0 }?.alerts() ?? [] },
            alertsJSON: { [self] in alertsJSON() },
            rules: { [configState] in configState.withLock { $0.config }?.alerting.effectiveRules() ?? [] },
            silences: { [engine] in
                guard let engine = engine.withLock({ $0 }) else { return [] }
                return engine.silences.all(at: engine.clock())
            },
            silenceRoutes: { [engine, startTime] in
                engine.withLock { $0 }.map { engine in
                    SilenceRoutes(store: engine.silences, now: engine.clock, startedAt: startTime)
                }
            }
        )
        let extraHeaders = options.web.headers.map { ($0.name, $0.value) }
        let handler: @Sendable (ServerRequest) -> ServerResponse = { request in
            var response = routes.handle(request)
            response.headers += extraHeaders
            return response
        }
        guard !options.web.basicAuthUsers.isEmpty else { return handler }
        return BasicAuthenticator(users: options.web.basicAuthUsers).protect(handler)
    }
}
