import Foundation
import HTTPServer
import Testing

/// A percent-encoded NUL or other control character in the path is refused, never served as a shorter path.
@Suite("HTTPServer control characters in paths")
struct ControlCharacterPathTests {
    @Test(
        "A decoded control character in the path answers 400 without reaching the handler",
        arguments: ["/metrics%00junk", "/healthz%00", "/healthz%01", "/a%0Ab", "/x%7F", "/%00"]
    )
    func controlCharacterIsRefused(path: String) throws {
        let recorder = Recorder()
        let server = try HTTPServer(options: ServerOptions()) { request in
            recorder.record(request)
            return .text("served \(request.path)")
        }
        defer { server.stop() }
        let result = try curl(["--path-as-is", "http://127.0.0.1:\(server.port)\(path)"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.status == 400)
        #expect(result.stdout.contains("control character"))
        #expect(recorder.count == 0)
    }

    @Test("Encoded printable characters and a NUL in the query still reach the handler")
    func printableEscapesAreServed() throws {
        let recorder = Recorder()
        let server = try HTTPServer(options: ServerOptions()) { request in
            recorder.record(request)
            return .text("ok")
        }
        defer { server.stop() }
        let result = try curl(["http://127.0.0.1:\(server.port)/a%20b/%C3%A9?q=%00x"])
        #expect(result.status == 200)
        let request = try #require(recorder.all.first)
        #expect(request.path == "/a b/é")
        #expect(request.query["q"]?.hasSuffix("x") == true, "a NUL no longer cuts the value short")
    }
}
