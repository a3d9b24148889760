import Foundation
import HTTPServer
import SlaprobeTesting
import Testing

@Suite("TLS")
struct TLSTests {
    @Test("Serves HTTPS from PEM strings")
    func servesHTTPS() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let cert = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: try Harness.executable("openssl"))
        openssl.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0)

        let tls = ServerTLS(
            certificatePEM: try String(contentsOfFile: cert, encoding: .utf8),
            privateKeyPEM: try String(contentsOfFile: key, encoding: .utf8)
        )
        let server = try HTTPServer(options: ServerOptions(tls: tls)) { request in .text("secure \(request.path)") }
        defer { server.stop() }
        let result = try curl(["--cacert", cert, "https://127.0.0.1:\(server.port)/x"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout == "secure /x")
        let plain = try curl(["http://127.0.0.1:\(server.port)/x"], maxTime: 3)
        #expect(plain.stdout != "secure /x")
    }

    @Test("Garbage PEM fails to start with cannotStart")
    func badPEM() {
        do {
            _ = try HTTPServer(
                options: ServerOptions(tls: ServerTLS(certificatePEM: "nope", privateKeyPEM: "nope"))
            ) { _ in .text("") }
            Issue.record("server started with garbage PEM")
        } catch {
            guard case .cannotStart = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(error.description.contains("TLS"))
        }
    }
}
