import Foundation
import HTTPServer
import Simulator

/// What the `routing` fuzz target does with one input (shared with ``FuzzRegressionTests``): the bytes are up to
/// four HTTP-like requests separated by NUL bytes, each
///
///     METHOD TARGET\n
///     Name: value\n        (any number of header lines)
///     \n
///     body
///
/// where TARGET is a path with an optional `?query`. Each goes to one ``BillingSimulator`` through
/// ``BillingSimulator/handle(_:)``, and its query also straight to ``FaultSettings/apply(_:to:)``. After every
/// request the injected delays and hangs are turned off again (the simulator sleeps for them, which would only
/// make the fuzzer slow), but error rates, status codes and body sizes set by one request stay for the next.
enum RoutingFuzzInput {
    static func run(_ bytes: [UInt8]) {
        let simulator = BillingSimulator(options: .init(apiKey: "fuzz-key", webhookSecret: "fuzz-secret"))
        let scratch = BillingSimulator(options: .init(apiKey: "fuzz-key", webhookSecret: "fuzz-secret"))
        neutralize(simulator)
        neutralize(scratch)
        for chunk in bytes.split(separator: 0, maxSplits: 3, omittingEmptySubsequences: false).prefix(4) {
            let request = decode(Array(chunk))
            let response = simulator.handle(request)
            precondition(
                (100...599).contains(response.status),
                "status \(response.status) for \(request.method) \(request.path)"
            )
            neutralize(simulator)
            try? FaultSettings.apply(request.query, to: scratch)
            neutralize(scratch)
            _ = FaultSettings.describe(scratch)
        }
    }

    static func decode(_ bytes: [UInt8]) -> ServerRequest {
        let text = String(decoding: bytes, as: UTF8.self)
        let (head, body): (Substring, Substring)
        if let range = text.range(of: "\n\n") {
            (head, body) = (text[..<range.lowerBound], text[range.upperBound...])
        } else {
            (head, body) = (text[...], "")
        }
        var lines = head.split(separator: "\n", omittingEmptySubsequences: false)
        let requestLine = lines.isEmpty ? "" : lines.removeFirst()
        let parts = requestLine.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
        let method = parts.first.map(String.init) ?? ""
        let target = parts.count > 1 ? String(parts[1]) : "/"
        let pathPart = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = pathPart.first.map { $0.removingPercentEncoding ?? String($0) } ?? "/"
        var query: [String: String] = [:]
        if pathPart.count > 1 {
            for pair in pathPart[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = kv[0].removingPercentEncoding ?? String(kv[0])
                query[name] = kv.count > 1 ? (kv[1].removingPercentEncoding ?? String(kv[1])) : ""
            }
        }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = headers[name].map { $0 + ", " + value } ?? value
        }
        return ServerRequest(method: method, path: path, query: query, headers: headers, body: Array(body.utf8))
    }

    /// Turns off injected latency and hangs, keeping everything else.
    private static func neutralize(_ simulator: BillingSimulator) {
        for endpoint in SimulatedEndpoint.allCases {
            var faults = simulator.faults(for: endpoint)
            faults.latency = 0
            faults.jitter = 0
            faults.missLatency = 0
            faults.hang = false
            simulator.setFaults(faults, for: endpoint)
        }
    }
}
