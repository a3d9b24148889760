import Foundation
import SlaprobeTesting

/// A scripted HTTP receiver (Python `http.server` on 127.0.0.1): answers POSTs with the planned statuses in order
/// (then 200) and records every request as a JSON line.
final class TestReceiver: Sendable {
    struct Request: Decodable {
        var path: String
        var headers: [String: String]
        var body: String
        var time: Double

        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    let port: Int
    private let process: ManagedProcess
    private let directory: String

    /// `plan`: one `[status, retryAfter or ""]` per request.
    init(plan: [(Int, String)]) throws {
        directory = NSTemporaryDirectory() + "receiver-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let script = """
            import http.server, json, sys, time, threading
            plan = json.loads(sys.argv[1]); log = sys.argv[2]; portfile = sys.argv[3]
            lock = threading.Lock()
            class H(http.server.BaseHTTPRequestHandler):
                def do_POST(self):
                    body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
                    with lock:
                        status, retry = plan.pop(0) if plan else (200, "")
                        with open(log, 'a') as f:
                            f.write(json.dumps({"path": self.path, "headers": dict(self.headers.items()),
                                "body": body.decode(), "time": time.time()}) + "\\n")
                    self.send_response(status)
                    if retry: self.send_header('Retry-After', retry)
                    self.send_header('Content-Length', '2'); self.end_headers(); self.wfile.write(b'ok')
                def log_message(self, *a): pass
            s = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)
            open(portfile + '.tmp', 'w').write(str(s.server_address[1])); __import__('os').rename(portfile + '.tmp', portfile)
            s.serve_forever()
            """
        let planJSON = "[" + plan.map { "[\($0.0), \"\($0.1)\"]" }.joined(separator: ",") + "]"
        process = try ManagedProcess(
            "python3",
            ["-c", script, planJSON, directory + "/requests.jsonl", directory + "/port"],
            name: "receiver"
        )
        let deadline = Date().addingTimeInterval(10)
        var found = 0
        while Date() < deadline {
            if let text = try? String(contentsOfFile: directory + "/port", encoding: .utf8), let value = Int(text) {
                found = value
                break
            }
            usleep(20_000)
        }
        port = found
    }

    var url: String { "http://127.0.0.1:\(port)/hook" }

    var requests: [Request] {
        guard let text = try? String(contentsOfFile: directory + "/requests.jsonl", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Request.self, from: Data($0.utf8)) }
    }

    func stop() {
        // SIGKILL: a test process may ignore SIGTERM, and its children inherit that.
        process.kill()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
