import Alerting
import Config
import HTTPServer
import JSON

/// Answers Alertmanager's v2 silences API (and the `/api/v2/status` that `amtool` asks first) over the alert
/// engine's ``SilenceStore``, so `amtool --alertmanager.url=http://slaprobe:9330 silence add|query|update|expire`
/// works unchanged:
///
/// - `GET /api/v2/silences[?filter=name="value"]` lists (`gettableSilence` objects);
/// - `POST /api/v2/silences` creates, or updates when the body has an `id`, and answers `{"silenceID": …}` once
///   the change is on disk;
/// - `GET /api/v2/silence/{id}` shows one, `DELETE /api/v2/silence/{id}` expires it.
///
/// Invalid input is answered 400 with the problem as a JSON string, an unknown id 404, as Alertmanager does.
struct SilenceRoutes: Sendable {
    /// The silences.
    var store: SilenceStore
    /// Unix seconds now.
    var now: @Sendable () -> Double
    /// When the service started, Unix seconds (the status's `uptime`).
    var startedAt: Double

    /// The prefix of one silence's path.
    static let silencePrefix = "/api/v2/silence/"

    /// Whether `path` belongs to this API.
    static func handles(_ path: String) -> Bool {
        path == "/api/v2/silences" || path == "/api/v2/status" || path.hasPrefix(silencePrefix)
    }

    /// The answer to a request on one of this API's paths (see ``handles(_:)``).
    func handle(_ request: ServerRequest) -> ServerResponse {
        switch (request.method, request.path) {
        case ("GET", "/api/v2/status"):
            return .json(status())
        case ("GET", "/api/v2/silences"):
            return list(filters: request.queryItems.filter { $0.name == "filter" }.map(\.value))
        case ("POST", "/api/v2/silences"):
            do {
                let id = try store.upsert(SilenceRequest(json: request.body), now: now())
                return ServerResponse(
                    status: 200,
                    headers: [("Content-Type", "application/json")],
                    body: .bytes(SilencesDocument.created(id: id))
                )
            } catch {
                return Self.failure(error)
            }
        case ("GET", let path) where path.hasPrefix(Self.silencePrefix):
            do {
                let silence = try store.silence(id: String(path.dropFirst(Self.silencePrefix.count)))
                return ServerResponse(
                    status: 200,
                    headers: [("Content-Type", "application/json")],
                    body: .bytes(SilencesDocument.encode(silence, now: now()))
                )
            } catch {
                return Self.failure(error)
            }
        case ("DELETE", let path) where path.hasPrefix(Self.silencePrefix):
            do {
                try store.expire(id: String(path.dropFirst(Self.silencePrefix.count)), now: now())
                return ServerResponse(status: 200)
            } catch {
                return Self.failure(error)
            }
        default:
            let allowed =
                request.path == "/api/v2/silences"
                ? "GET, POST" : request.path == "/api/v2/status" ? "GET" : "GET, DELETE"
            var response = ServerResponse.text(
                "method \(request.method) not allowed on \(request.path)\n",
                status: 405
            )
            response.headers.append(("Allow", allowed))
            return response
        }
    }

    /// Lists the silences, keeping those whose matchers satisfy every filter matcher, as Alertmanager filters:
    /// the silence's matchers are read as labels (name to value) and each filter must match them.
    private func list(filters: [String]) -> ServerResponse {
        var matchers: [LabelMatcher] = []
        for filter in filters where !filter.isEmpty {
            do {
                matchers.append(try LabelMatcher(parsing: filter))
            } catch {
                return Self.failure(.invalid("filter: \(error)"))
            }
        }
        let silences = store.all(at: now()).filter { silence in
            var labels: [String: String] = [:]
            for item in silence.matchers { labels[item.name] = item.value }
            return matchers.allSatisfy { $0.matches(labels) }
        }
        return ServerResponse(
            status: 200,
            headers: [("Content-Type", "application/json")],
            body: .bytes(SilencesDocument.encode(silences, now: now()))
        )
    }

    /// Alertmanager's `alertmanagerStatus` without `versionInfo`: slaprobe is not an Alertmanager, and amtool
    /// warns about every command when the versions differ.
    private func status() -> String {
        JSONText.object([
            ("cluster", .raw(JSONText.object([("status", .string("disabled")), ("peers", .raw("[]"))]))),
            ("config", .raw(JSONText.object([("original", .string(""))]))),
            ("uptime", .string(RFC3339Timestamp.format(startedAt))),
        ])
    }

    private static func failure(_ error: SilenceError) -> ServerResponse {
        .json(JSONText.quoted(error.description) + "\n", status: error.status)
    }
}
