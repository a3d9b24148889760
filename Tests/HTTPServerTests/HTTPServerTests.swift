import Foundation
import HTTPServer
import SlaprobeTesting
import Testing

@Suite("HTTPServer")
struct HTTPServerTests {
    @Test("GET with query arguments and headers reaches the handler decoded")
    func getWithQueryAndHeaders() throws {
        let recorder = Recorder()
        let server = try HTTPServer(options: ServerOptions()) { request in
            recorder.record(request)
            return .json(#"{"ok":true}"#)
        }
        defer { server.stop() }
        let result = try curl([
            "-H", "X-Custom-Header: Some Value",
            "-H", "Accept: application/json",
            "http://127.0.0.1:\(server.port)/api/v1/entitlements?a=1&name=hello%20world&a=2&plus=x+y&flag",
        ])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.status == 200)
        #expect(result.stdout == #"{"ok":true}"#)
        #expect(result.headers["content-type"] == "application/json")
        #expect(result.headers["content-length"] == "11")

        let request = try #require(recorder.all.first)
        #expect(request.method == "GET")
        #expect(request.path == "/api/v1/entitlements")
        #expect(request.query["a"] == "2")
        #expect(request.query["name"] == "hello world")
        #expect(request.query["plus"] == "x y")
        #expect(request.query["flag"] == "")
        #expect(request.header("X-CUSTOM-HEADER") == "Some Value")
        #expect(request.headers["accept"] == "application/json")
        #expect(request.header("host") == "127.0.0.1:\(server.port)")
        #expect(request.body.isEmpty)
        #expect(request.remoteAddress == "127.0.0.1")
    }

    @Test("POST body arrives whole", arguments: [ServerThreading.internalThread, .threadPerConnection])
    func postBodyArrivesWhole(threading: ServerThreading) throws {
        let recorder = Recorder()
        let server = try HTTPServer(options: ServerOptions(threading: threading)) { request in
            recorder.record(request)
            return .text("got \(request.body.count)", status: 201)
        }
        defer { server.stop() }
        let size = 200 * 1024
        let path = try temporaryFile(bytes: size, fill: UInt8(ascii: "b"))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try curl([
            "-X", "POST", "-H", "Content-Type: application/octet-stream", "--data-binary", "@\(path)",
            "http://127.0.0.1:\(server.port)/upload",
        ])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.status == 201)
        #expect(result.stdout == "got \(size)")
        let request = try #require(recorder.all.first)
        #expect(request.method == "POST")
        #expect(request.body.count == size)
        #expect(request.body.allSatisfy { $0 == UInt8(ascii: "b") })
        #expect(request.header("content-type") == "application/octet-stream")
    }

    @Test("A large body, lent to libmicrohttpd rather than copied, arrives byte for byte to concurrent clients")
    func largeBodyArrivesExactly() throws {
        // One shared array, as the /metrics cache serves it: every response lends the same storage.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let body: [UInt8] = (0..<3_000_000).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        let server = try HTTPServer(options: ServerOptions(threading: .threadPerConnection)) { _ in
            ServerResponse(body: .bytes(body))
        }
        defer { server.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lent-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let paths = (0..<4).map { directory.appendingPathComponent("body-\($0)").path }
        // One curl, four parallel transfers.
        var arguments = ["--parallel", "--parallel-immediate"]
        for path in paths { arguments += ["-o", path, "http://127.0.0.1:\(server.port)/page"] }
        let result = try curl(arguments)
        #expect(result.exitCode == 0, "\(result.stderr)")
        for path in paths {
            let received = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(received.count == body.count)
            #expect(received == body, "\(path) differs")
        }
    }

    @Test("Chunked POST body arrives whole")
    func chunkedPostBody() throws {
        let recorder = Recorder()
        let server = try HTTPServer(options: ServerOptions()) { request in
            recorder.record(request)
            return .text(request.bodyString)
        }
        defer { server.stop() }
        let path = try temporaryFile(bytes: 70_000, fill: UInt8(ascii: "c"))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try curl([
            "-H", "Transfer-Encoding: chunked", "--data-binary", "@\(path)", "-o", "/dev/null",
            "-w", "%{size_download}", "http://127.0.0.1:\(server.port)/chunked",
        ])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.status == 200)
        #expect(result.stdout == "70000")
        #expect(recorder.all.first?.body.count == 70_000)
    }

    @Test(
        "Body over maxRequestBodyBytes gets 413 and the handler is not called",
        arguments: [
            ["--data-binary"],  // Content-Length, body sent right away
            ["-H", "Expect: 100-continue", "--data-binary"],  // Content-Length, waits for 100 Continue
            ["-H", "Transfer-Encoding: chunked", "--data-binary"],  // no Content-Length
        ]
    )
    func bodyTooLarge(upload: [String]) throws {
        let recorder = Recorder()
        let server = try HTTPServer(options: ServerOptions(maxRequestBodyBytes: 10_000)) { request in
            recorder.record(request)
            return .text("handler ran")
        }
        defer { server.stop() }
        let path = try temporaryFile(bytes: 300_000)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try curl(upload + ["@\(path)", "http://127.0.0.1:\(server.port)/upload"])
        #expect(result.status == 413, "exit \(result.exitCode): \(result.stderr)")
        #expect(result.stdout.contains("too large"))
        #expect(recorder.count == 0)

        // A body at the limit is still accepted, by the same server.
        let okPath = try temporaryFile(bytes: 10_000)
        defer { try? FileManager.default.removeItem(atPath: okPath) }
        let ok = try curl(upload + ["@\(okPath)", "http://127.0.0.1:\(server.port)/upload"])
        #expect(ok.status == 200, "\(ok.stderr)")
        #expect(recorder.all.first?.body.count == 10_000)
    }

    @Test("Default limit is 1 MiB: a 2 MB upload gets 413")
    func defaultLimit() throws {
        let recorder = Recorder()
        let server = try HTTPServer(options: ServerOptions()) { request in
            recorder.record(request)
            return .text("handler ran")
        }
        defer { server.stop() }
        let path = try temporaryFile(bytes: 2_000_000)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try curl(["--data-binary", "@\(path)", "http://127.0.0.1:\(server.port)/"])
        #expect(result.status == 413)
        #expect(recorder.count == 0)
    }

    @Test(
        ".repeated streams 50 MB with the right Content-Length",
        arguments: [ServerThreading.internalThread, .threadPerConnection]
    )
    func repeatedBody(threading: ServerThreading) throws {
        let size = 50 * 1024 * 1024
        let server = try HTTPServer(options: ServerOptions(threading: threading)) { _ in
            ServerResponse(
                headers: [("Content-Type", "application/octet-stream"), ("Content-Length", "1")],
                body: .repeated(byte: 0x41, count: size)
            )
        }
        defer { server.stop() }
        // curl counts the bytes and discards them.
        let result = try curl([
            "-o", "/dev/null", "-w", "%{http_code} %{size_download}", "http://127.0.0.1:\(server.port)/big",
        ])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout == "200 \(size)")
        #expect(result.headers["content-length"] == String(size))
        #expect(result.headers["content-type"] == "application/octet-stream")

        // The bytes are the requested ones (check a small one fully).
        let small = try HTTPServer(options: ServerOptions()) { _ in
            ServerResponse(body: .repeated(byte: 0x41, count: 100_000))
        }
        defer { small.stop() }
        let smallResult = try curl(["http://127.0.0.1:\(small.port)/"])
        #expect(smallResult.stdout == String(repeating: "A", count: 100_000))
    }

    @Test(
        ".stream sends every byte, chunked, however the stream splits it",
        arguments: [ServerThreading.internalThread, .threadPerConnection]
    )
    func streamedBody(threading: ServerThreading) throws {
        let size = 3_000_000
        let server = try HTTPServer(options: ServerOptions(threading: threading)) { _ in
            ServerResponse(headers: [("Content-Type", "text/plain")], body: .stream(CountingStream(size: size)))
        }
        defer { server.stop() }
        // HTTP/1.0 has no chunked encoding: there the body ends where the connection does.
        for version in ["--http1.1", "--http1.0"] {
            let result = try curl([version, "http://127.0.0.1:\(server.port)/stream"])
            #expect(result.exitCode == 0, "\(result.stderr)")
            #expect(result.status == 200)
            #expect(result.headers["content-length"] == nil)
            if version == "--http1.1" { #expect(result.headers["transfer-encoding"] == "chunked") }
            #expect(result.stdout.utf8.count == size)
            #expect(result.stdout.utf8.elementsEqual(CountingStream.bytes(size)), "\(version)")
        }
        let empty = try HTTPServer(options: ServerOptions()) { _ in
            ServerResponse(body: .stream(CountingStream(size: 0)))
        }
        defer { empty.stop() }
        let result = try curl(["http://127.0.0.1:\(empty.port)/"])
        #expect(result.exitCode == 0 && result.status == 200 && result.stdout.isEmpty)
    }

    @Test("Ephemeral port works and port reports it")
    func ephemeralPort() throws {
        let server = try HTTPServer(options: ServerOptions(host: "127.0.0.1", port: 0)) { _ in .text("hi") }
        defer { server.stop() }
        #expect(server.port > 0)
        #expect(server.port <= 65535)
        #expect(canConnect(port: server.port))
        let result = try curl(["http://127.0.0.1:\(server.port)/"])
        #expect(result.stdout == "hi")
    }

    @Test("A second server on the same port throws cannotBind with a clear message")
    func portInUse() throws {
        let first = try HTTPServer(options: ServerOptions(port: 0)) { _ in .text("first") }
        defer { first.stop() }
        let port = first.port
        #expect(throws: ServerError.cannotBind(address: "127.0.0.1:\(port)", reason: "address already in use")) {
            _ = try HTTPServer(options: ServerOptions(port: port)) { _ in .text("second") }
        }
        do {
            _ = try HTTPServer(options: ServerOptions(port: port)) { _ in .text("second") }
            Issue.record("second server started")
        } catch {
            #expect(error.description == "cannot listen on 127.0.0.1:\(port): address already in use")
        }
        // The first one still serves.
        #expect(try curl(["http://127.0.0.1:\(port)/"]).stdout == "first")
    }

    @Test(
        "stop() is idempotent and closes the port",
        arguments: [ServerThreading.internalThread, .threadPerConnection]
    )
    func stopClosesPort(threading: ServerThreading) throws {
        let marker = UUID().uuidString
        let server = try HTTPServer(options: ServerOptions(threading: threading)) { _ in .text(marker) }
        let port = server.port
        #expect(try curl(["http://127.0.0.1:\(port)/"]).stdout == marker)
        #expect(server.isRunning)
        server.stop()
        #expect(!server.isRunning)
        // Other suites bind ephemeral ports in parallel and may be handed this one the moment it is free, so
        // "closed" means: nothing answers with this server's marker.
        #expect(try curl(["http://127.0.0.1:\(port)/"]).stdout != marker)
        server.stop()
        #expect(try curl(["http://127.0.0.1:\(port)/"]).stdout != marker)
        // The port can be reused right away (unless another suite took it first).
        guard
            let again = try? HTTPServer(
                options: ServerOptions(port: port, threading: threading),
                handler: { _ in .text("again") }
            )
        else {
            #expect(canConnect(port: port), "the port is taken only if someone else listens on it")
            return
        }
        defer { again.stop() }
        #expect(try curl(["http://127.0.0.1:\(port)/"]).stdout == "again")
    }

    @Test("stop() from several threads at once")
    func concurrentStop() async throws {
        let server = try HTTPServer(options: ServerOptions()) { _ in .text("x") }
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { server.stop() } }
        }
        #expect(!canConnect(port: server.port))
    }

    @Test("threadPerConnection serves two slow requests concurrently")
    func slowRequestsConcurrently() throws {
        let server = try HTTPServer(options: ServerOptions(threading: .threadPerConnection)) { request in
            Thread.sleep(forTimeInterval: 0.3)
            return .text("slept \(request.path)")
        }
        defer { server.stop() }
        // Warm up (process spawning, first connection).
        _ = try curl(["http://127.0.0.1:\(server.port)/warm"])

        let start = ContinuousClock.now
        let processes = try (0..<2).map { index -> (Process, Pipe) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try Harness.executable("curl"))
            process.arguments = ["-s", "--max-time", "5", "http://127.0.0.1:\(server.port)/slow\(index)"]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            return (process, pipe)
        }
        var outputs: [String] = []
        for (process, pipe) in processes {
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            outputs.append(String(decoding: data, as: UTF8.self))
        }
        let elapsed = ContinuousClock.now - start
        #expect(outputs == ["slept /slow0", "slept /slow1"])
        #expect(elapsed < .milliseconds(550), "took \(elapsed)")
    }

    @Test("Unknown methods reach the handler")
    func unknownMethod() throws {
        let recorder = Recorder()
        let server = try HTTPServer(options: ServerOptions()) { request in
            recorder.record(request)
            return request.method == "GET" ? .text("ok") : .text("no", status: 405)
        }
        defer { server.stop() }
        let result = try curl(["-X", "BREW", "http://127.0.0.1:\(server.port)/pot"])
        #expect(result.status == 405)
        #expect(recorder.all.first?.method == "BREW")
        let delete = try curl(["-X", "DELETE", "http://127.0.0.1:\(server.port)/x"])
        #expect(delete.status == 405)
    }

    @Test("Response helpers set status, headers and content type")
    func responseHelpers() throws {
        let server = try HTTPServer(options: ServerOptions()) { request in
            switch request.path {
            case "/html": return .html("<p>hi</p>", status: 503)
            case "/empty": return ServerResponse(status: 204)
            default: return ServerResponse(status: 200, headers: [("X-A", "1"), ("Cache-Control", "no-store")])
            }
        }
        defer { server.stop() }
        let html = try curl(["http://127.0.0.1:\(server.port)/html"])
        #expect(html.status == 503)
        #expect(html.headers["content-type"] == "text/html; charset=utf-8")
        #expect(html.stdout == "<p>hi</p>")
        let empty = try curl(["http://127.0.0.1:\(server.port)/empty"])
        #expect(empty.status == 204)
        #expect(empty.stdout.isEmpty)
        let custom = try curl(["http://127.0.0.1:\(server.port)/custom"])
        #expect(custom.headers["x-a"] == "1")
        #expect(custom.headers["cache-control"] == "no-store")
        #expect(custom.headers["content-length"] == "0")
    }

    @Test("Many sequential keep-alive requests")
    func keepAlive() throws {
        let server = try HTTPServer(options: ServerOptions()) { request in .text(request.path) }
        defer { server.stop() }
        let urls = (0..<20).map { "http://127.0.0.1:\(server.port)/r\($0)" }
        let result = try curl(urls + ["-w", "\n"])
        let expected = (0..<20).map { "/r\($0)\n" }.joined()
        #expect(result.stdout == expected)
    }

    @Test("Invalid options are rejected")
    func invalidOptions() {
        #expect(throws: ServerError.self) {
            _ = try HTTPServer(options: ServerOptions(port: 70_000)) { _ in .text("") }
        }
        #expect(throws: ServerError.self) {
            _ = try HTTPServer(options: ServerOptions(host: "no such host.invalid")) { _ in .text("") }
        }
    }

    @Test("ServerRequest helpers")
    func requestHelpers() {
        let request = ServerRequest(
            method: "POST",
            path: "/p",
            query: ["q": "1"],
            headers: ["Content-Type": "text/plain"],
            body: Array("héllo".utf8)
        )
        #expect(request.header("content-type") == "text/plain")
        #expect(request.header("CONTENT-TYPE") == "text/plain")
        #expect(request.headers["content-type"] == "text/plain")
        #expect(request.bodyString == "héllo")
        #expect(request.remoteAddress == nil)
    }
}

/// Digits `0123456789` over and over, `size` of them, handed out in pieces of 1 to 9,999 bytes (never more than
/// the server asks for).
private final class CountingStream: ResponseStream, @unchecked Sendable {
    private let size: Int
    private var position = 0

    init(size: Int) { self.size = size }

    static func bytes(_ size: Int) -> [UInt8] { (0..<size).map { UInt8(ascii: "0") + UInt8($0 % 10) } }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, size - position, 1 + (position * 7919) % 9_999)
        for index in 0..<count { buffer[index] = UInt8(ascii: "0") + UInt8((position + index) % 10) }
        position += count
        return count
    }
}
