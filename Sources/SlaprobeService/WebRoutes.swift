import Alerting
import Config
import Exposition
import HTTPServer
import RollingWindows

/// Answers slaprobe's own HTTP endpoints: `/metrics`, health and readiness, reload, the status page and the
/// JSON API. Runs on the web server's thread and only reads snapshots, so it never waits on a probe.
///
/// It sees the service only through these functions, each one answer it needs.
struct WebRoutes: Sendable {
    /// The `/metrics` body in a format.
    var metrics: @Sendable (ExpositionFormat) -> ServerResponse.Body
    /// Why the service is unhealthy, or `nil`.
    var unhealthyReason: @Sendable () -> String?
    /// Why the service is not ready, or `nil`.
    var notReadyReason: @Sendable () -> String?
    /// Reloads the configuration, or returns `nil` when a reload is already under way.
    var reload: @Sendable () -> Result<Void, Error>?
    /// Every probe's snapshot now, with evidence.
    var snapshots: @Sendable () -> [ProbeSnapshot]
    /// Every alert, for the status page.
    var alerts: @Sendable () -> [AlertStateSnapshot]
    /// The `/api/v1/alerts` body.
    var alertsJSON: @Sendable () -> [UInt8]
    /// The alert rules whose thresholds the status page judges each probe by.
    var rules: @Sendable () -> [AlertRule]
    /// Every silence kept (active, pending, and expired within the retention), for the status page.
    var silences: @Sendable () -> [Silence] = { [] }
    /// The silences API, or `nil` while alerting is off (its paths then answer 404).
    var silenceRoutes: @Sendable () -> SilenceRoutes? = { nil }

    func handle(_ request: ServerRequest) -> ServerResponse {
        switch (request.method, request.path) {
        case ("GET", "/metrics"), ("HEAD", "/metrics"):
            let format = ExpositionFormat.negotiate(accept: request.header("accept"))
            return ServerResponse(
                status: 200,
                headers: [("Content-Type", format.contentType)],
                body: metrics(format)
            )
        case ("GET", "/healthz"), ("GET", "/-/healthy"), ("HEAD", "/healthz"), ("HEAD", "/-/healthy"):
            if let reason = unhealthyReason() { return .text(reason + "\n", status: 503) }
            return .text("ok\n")
        case ("GET", "/readyz"), ("GET", "/-/ready"), ("HEAD", "/readyz"), ("HEAD", "/-/ready"):
            if let reason = notReadyReason() { return .text(reason + "\n", status: 503) }
            return .text("ready\n")
        case ("POST", "/-/reload"), ("PUT", "/-/reload"):
            switch reload() {
            case nil:
                var response = ServerResponse.text("a reload is already in progress; retry shortly\n", status: 429)
                response.headers.append(("Retry-After", "1"))
                return response
            case .success: return .text("configuration reloaded\n")
            case .failure(let error):
                return .text("reload failed, keeping the running configuration:\n\(error)\n", status: 500)
            }
        case ("GET", "/api/v1/alerts"):
            return ServerResponse(
                status: 200,
                headers: [("Content-Type", "application/json")],
                body: .bytes(alertsJSON())
            )
        case (_, let path) where SilenceRoutes.handles(path):
            guard let silenceRoutes = silenceRoutes() else {
                return .text("not found: \(request.path) (alerting is disabled)\n", status: 404)
            }
            return silenceRoutes.handle(request)
        case ("GET", "/api/v1/probes"):
            return .json(ProbesJSON.render(snapshots()))
        case ("GET", "/"):
            var context = StatusPage.Context(
                alerts: alerts(),
                rules: rules(),
                notReady: notReadyReason(),
                unhealthy: unhealthyReason()
            )
            context.silences = StatusPage.silenceRows(silences(), at: context.now)
            return .html(StatusPage.render(snapshots(), context: context))
        case (_, "/metrics"), (_, "/healthz"), (_, "/-/healthy"), (_, "/readyz"), (_, "/-/ready"), (_, "/-/reload"),
            (_, "/api/v1/probes"), (_, "/api/v1/alerts"), (_, "/"):
            return ServerResponse(
                status: 405,
                headers: [
                    ("Allow", request.path == "/-/reload" ? "POST" : "GET, HEAD"), ("Content-Type", "text/plain"),
                ],
                body: .bytes(Array("method \(request.method) not allowed on \(request.path)\n".utf8))
            )
        default:
            return .text("not found: \(request.path)\n", status: 404)
        }
    }
}
