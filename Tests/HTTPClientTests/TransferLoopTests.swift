import Foundation
import HTTPServer
import Locking
import SlaprobeTesting
import Testing

@testable import HTTPClient

@Suite("TransferLoop over real loopback HTTP")
struct TransferLoopTests {
    let loop: TransferLoop

    init() {
        loop = TransferLoop(name: "test-transfers")
        loop.start()
    }

    private func serve(_ handler: @escaping @Sendable (ServerRequest) -> ServerResponse) throws -> HTTPServer {
        try HTTPServer(
            options: ServerOptions(host: "127.0.0.1", port: 0, threading: .threadPerConnection),
            handler: handler
        )
    }

    @Test func getReturnsStatusHeadersBodyAndPhases() async throws {
        let server = try serve { request in
            ServerResponse(
                status: 203,
                headers: [("X-Cache", "HIT"), ("X-Echo", request.header("x-request-id") ?? "")],
                body: .bytes(Array("hello".utf8))
            )
        }
        defer { server.stop() }
        let result = await loop.perform(
            ClientRequest(url: "http://127.0.0.1:\(server.port)/x", headers: [("X-Request-ID", "abc")])
        )
        #expect(result.error == nil)
        #expect(result.status == 203)
        #expect(result.bodyString == "hello")
        #expect(result.header("x-cache") == "HIT")
        #expect(result.header("X-Echo") == "abc")
        #expect(result.bytesReceived == 5)
        let t = result.timings
        #expect(t.total > 0)
        #expect(abs((t.dns + t.connect + t.tls + t.processing + t.transfer) - t.total) < 0.0005)
        #expect(result.certificateExpiry == nil)
    }

    @Test func postSendsTheBodyWithoutExpectContinue() async throws {
        let server = try serve { request in
            .text("\(request.method) \(request.body.count) \(request.header("expect") ?? "none")")
        }
        defer { server.stop() }
        let body = [UInt8](repeating: 65, count: 100_000)
        let result = await loop.perform(
            ClientRequest(url: "http://127.0.0.1:\(server.port)/p", method: "POST", body: body)
        )
        #expect(result.bodyString == "POST 100000 none")
    }

    @Test func reusedEasyHandlesCarryNothingFromTheTransferBefore() async throws {
        // One loop, one transfer at a time: each request runs on the handle the one before it left behind.
        let server = try serve { request in
            .text("\(request.method) \(request.body.count) \(request.header("x-only-first") ?? "-")")
        }
        defer { server.stop() }
        let url = "http://127.0.0.1:\(server.port)/"
        let first = await loop.perform(
            ClientRequest(url: url, method: "POST", headers: [("X-Only-First", "yes")], body: Array("abc".utf8))
        )
        #expect(first.bodyString == "POST 3 yes")
        let tooLarge = await loop.perform(ClientRequest(url: url, maxBodyBytes: 2))
        #expect(tooLarge.error?.kind == .bodyTooLarge)
        for _ in 0..<20 {
            let plain = await loop.perform(ClientRequest(url: url))
            #expect(plain.error == nil)
            #expect(plain.bodyString == "GET 0 -", "method, header, body or size cap left over from an earlier run")
        }
        let refused = await loop.perform(ClientRequest(url: "http://127.0.0.1:1/", timeout: .seconds(2)))
        #expect(refused.error?.kind == .connect)
        #expect(await loop.perform(ClientRequest(url: url)).bodyString == "GET 0 -")
    }

    @Test func serverProcessingTimeShowsInTheProcessingPhase() async throws {
        let server = try serve { _ in
            usleep(150_000)
            return .text("slow")
        }
        defer { server.stop() }
        let result = await loop.perform(ClientRequest(url: "http://127.0.0.1:\(server.port)/"))
        #expect(result.error == nil, "\(String(describing: result.error))")
        #expect(result.status == 200)
        #expect(result.timings.processing >= 0.149)
        #expect(result.timings.processing < 0.25)
        #expect(result.timings.total >= result.timings.processing)
    }

    @Test func refusedConnectionIsAConnectError() async throws {
        let port = try unusedPort()
        let result = await loop.perform(ClientRequest(url: "http://127.0.0.1:\(port)/", timeout: .seconds(2)))
        #expect(result.error?.kind == .connect)
        #expect(result.status == 0)
    }

    @Test func unresolvableHostIsADNSError() async throws {
        let result = await loop.perform(ClientRequest(url: "http://no-such-host.invalid/", timeout: .seconds(5)))
        #expect(result.error?.kind == .dns)
    }

    @Test func hangingServerTimesOutAtTheTimeout() async throws {
        let server = try serve { _ in
            usleep(2_000_000)
            return .text("late")
        }
        defer { server.stop() }
        let result = await loop.perform(
            ClientRequest(url: "http://127.0.0.1:\(server.port)/", timeout: .milliseconds(300))
        )
        #expect(result.error?.kind == .timeout)
        // libcurl's own clock: the awaiting task may resume later on a busy test machine.
        #expect(result.timings.total >= 0.295 && result.timings.total < 0.4)
    }

    @Test func oversizedBodyAbortsAsBodyTooLarge() async throws {
        let server = try serve { _ in ServerResponse(body: .repeated(byte: 120, count: 50_000_000)) }
        defer { server.stop() }
        let result = await loop.perform(ClientRequest(url: "http://127.0.0.1:\(server.port)/", maxBodyBytes: 65536))
        #expect(result.error?.kind == .bodyTooLarge)
        #expect(result.bytesReceived <= 65536)
    }

    @Test func timersRunInDueOrderAndOnTime() async throws {
        let fired = FiredLog()
        let now = MonotonicTime.now()
        for (index, delay) in [60, 20, 40].enumerated() {
            let due = now + UInt64(delay) * 1_000_000
            loop.schedule(at: due) { fired.append(index, lateBy: MonotonicTime.now() - due) }
        }
        try await Task.sleep(for: .milliseconds(150))
        let entries = fired.entries
        #expect(entries.map(\.index) == [1, 2, 0])
        // Order is exact; timeliness only roughly, as other tests share the two cores (benchmarks measure lag).
        #expect(entries.allSatisfy { $0.late < 50_000_000 })
    }

    @Test func manyConcurrentTransfersAllComplete() async throws {
        let server = try serve { _ in .text("ok") }
        defer { server.stop() }
        let results = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<50 {
                group.addTask { await loop.perform(ClientRequest(url: "http://127.0.0.1:\(server.port)/")).status }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(results.count == 50)
        #expect(results.allSatisfy { $0 == 200 })
    }

    @Test func shutdownCancelsPendingWorkAndIsIdempotent() async throws {
        let other = TransferLoop(name: "short-lived")
        other.start()
        other.shutdown()
        other.shutdown()
        let result = await other.perform(ClientRequest(url: "http://127.0.0.1:1/"))
        #expect(result.error?.kind == .cancelled)
    }

    @Test(arguments: [
        ("Jan  2 03:04:05 2030 GMT", 1_893_553_445.0),
        ("2030-01-02 03:04:05 GMT", 1_893_553_445.0),
        ("garbage", nil),
    ])
    func certificateDatesParse(text: String, expected: Double?) {
        #expect(CertificateDate.parse(text) == expected)
    }
}

final class FiredLog: Sendable {
    private let storage = Locked<[(index: Int, late: UInt64)]>([])
    func append(_ index: Int, lateBy late: UInt64) { storage.withLock { $0.append((index, late)) } }
    var entries: [(index: Int, late: UInt64)] { storage.withLock { $0 } }
}

func unusedPort() throws -> Int {
    let server = try HTTPServer(options: ServerOptions(host: "127.0.0.1", port: 0)) { _ in .text("") }
    let port = server.port
    server.stop()
    return port
}

@Suite struct RequestMethodTests {
    @Test(arguments: ["GET", "POST", "PUT", "DELETE", "PATCH"])
    func methodIsSentAsConfiguredWithAndWithoutBody(method: String) async throws {
        let server = try HTTPServer(options: ServerOptions(host: "127.0.0.1", port: 0)) { request in
            .text("\(request.method) \(request.body.count)")
        }
        defer { server.stop() }
        let loop = TransferLoop(name: "methods")
        loop.start()
        defer { loop.shutdown() }
        let url = "http://127.0.0.1:\(server.port)/"
        let withBody = await loop.perform(ClientRequest(url: url, method: method, body: Array("abc".utf8)))
        #expect(withBody.bodyString == "\(method) 3")
        let without = await loop.perform(ClientRequest(url: url, method: method))
        #expect(without.bodyString == "\(method) 0")
    }
}

@Suite struct HTTPSTests {
    /// A self-signed certificate valid until a known date, made with the openssl command line.
    static func makeCertificate(in directory: URL, days: Int) throws -> (cert: String, key: String, path: String) {
        let keyPath = directory.appendingPathComponent("key.pem").path
        let certPath = directory.appendingPathComponent("cert.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Harness.executable("openssl"))
        process.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", keyPath,
            "-out", certPath, "-days", String(days), "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return (
            try String(contentsOfFile: certPath, encoding: .utf8), try String(contentsOfFile: keyPath, encoding: .utf8),
            certPath
        )
    }

    @Test func httpsReportsTLSPhaseAndCertificateExpiry() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (cert, key, certPath) = try Self.makeCertificate(in: directory, days: 30)
        let server = try HTTPServer(
            options: ServerOptions(host: "127.0.0.1", port: 0, tls: ServerTLS(certificatePEM: cert, privateKeyPEM: key))
        ) { _ in .text("secure") }
        defer { server.stop() }
        let loop = TransferLoop(name: "tls")
        loop.start()
        defer { loop.shutdown() }
        let url = "https://127.0.0.1:\(server.port)/"

        let trusted = await loop.perform(ClientRequest(url: url, caFile: certPath))
        #expect(trusted.error == nil, "\(String(describing: trusted.error))")
        #expect(trusted.bodyString == "secure")
        #expect(trusted.timings.tls > 0)
        let expiry = try #require(trusted.certificateExpiry)
        let expected = Date().addingTimeInterval(30 * 86400).timeIntervalSince1970
        #expect(abs(expiry - expected) < 120)

        let untrusted = await loop.perform(ClientRequest(url: url))
        #expect(untrusted.error?.kind == .tls)

        let skipped = await loop.perform(ClientRequest(url: url, insecureSkipVerify: true))
        #expect(skipped.status == 200)
        #expect(skipped.certificateExpiry != nil)
    }
}
