import HTTPServer
import JSON

extension BillingSimulator {
    /// Remembers the identity headers of a request to `endpoint` for `GET /admin/requests`.
    func remember(_ request: ServerRequest, endpoint: String) {
        let entry = ReceivedRequests.Entry(
            endpoint: endpoint,
            requestID: request.header("x-request-id") ?? "",
            traceparent: request.header("traceparent") ?? ""
        )
        state.withLock { $0.received.append(entry) }
    }

    /// `GET /admin/requests`: the latest requests received on the API endpoints, oldest first, each with its
    /// `endpoint`, `request_id`, `traceparent` and `trace_id` (the traceparent's trace id, or empty).
    func adminRequests() -> ServerResponse {
        let entries = state.withLock { $0.received.entries }
        let items = entries.map { entry in
            let parts = entry.traceparent.split(separator: "-")
            let trace = parts.count == 4 ? String(parts[1]) : ""
            return JSONText.object([
                ("endpoint", .string(entry.endpoint)), ("request_id", .string(entry.requestID)),
                ("traceparent", .string(entry.traceparent)), ("trace_id", .string(trace)),
            ])
        }
        return .json(JSONText.object([("requests", .raw("[" + items.joined(separator: ",") + "]"))]))
    }
}
