import Exposition
import HTTPClient
import HTTPServer
import RollingWindows

/// Answers slaprobe's own HTTP endpoints: `/metrics`, health and readiness, reload, the status page and the
/// JSON API. Runs on the web server's thread and only reads snapshots, so it never waits on a probe.
struct WebRoutes {
    let service: ProbeService

    func handle(_ request: ServerRequest) -> ServerResponse {
        switch (request.method, request.path) {
        case ("GET", "/metrics"), ("HEAD", "/metrics"):
            let format = ExpositionFormat.negotiate(accept: request.header("accept"))
            return ServerResponse(
                status: 200,
                headers: [("Content-Type", format.contentType)],
                body: .bytes(service.metrics(format: format))
            )
        case ("GET", "/healthz"), ("GET", "/-/healthy"), ("HEAD", "/healthz"), ("HEAD", "/-/healthy"):
            if let reason = service.unhealthyReason { return .text(reason + "\n", status: 503) }
            return .text("ok\n")
        case ("GET", "/readyz"), ("GET", "/-/ready"), ("HEAD", "/readyz"), ("HEAD", "/-/ready"):
            if let reason = service.notReadyReason { return .text(reason + "\n", status: 503) }
            return .text("ready\n")
        case ("POST", "/-/reload"), ("PUT", "/-/reload"):
            switch service.reload() {
            case .success: return .text("configuration reloaded\n")
            case .failure(let error):
                return .text("reload failed, keeping the running configuration:\n\(error)\n", status: 500)
            }
        case ("GET", "/api/v1/alerts"):
            return ServerResponse(
                status: 200,
                headers: [("Content-Type", "application/json")],
                body: .bytes(service.alertsJSON())
            )
        case ("GET", "/api/v1/probes"):
            return .json(ProbesJSON.render(service.store.snapshots(at: MonotonicTime.seconds())))
        case ("GET", "/"):
            return .html(
                StatusPage.render(
                    service.store.snapshots(at: MonotonicTime.seconds()),
                    alerts: service.engine.withLock { $0 }?.alerts() ?? [],
                    ready: service.notReadyReason,
                    healthy: service.unhealthyReason
                )
            )
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
