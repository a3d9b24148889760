import Foundation
import SlaprobeTesting
import Testing

/// `--web.config.file`: TLS served by libmicrohttpd and bcrypt basic auth, checked with the real curl.
@Suite(.serialized) struct WebConfigTests {
    static func bcrypt(_ password: String) throws -> String {
        let (status, output) = try Harness.run(
            "python3",
            [
                "-W", "ignore", "-c",
                "import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1024)))",
                password,
            ]
        )
        guard status == 0 else { throw TestFailure("bcrypt: \(output)") }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func curl(_ arguments: [String]) throws -> (code: String, output: String) {
        let (_, output) = try Harness.run(
            "curl",
            ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5"] + arguments
        )
        return (output, output)
    }

    @Test func tlsAndBasicAuthProtectEveryEndpoint() async throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cert = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let (opensslStatus, opensslOutput) = try Harness.run(
            "openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj",
                "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ]
        )
        #expect(opensslStatus == 0, "\(opensslOutput)")
        let hash = try Self.bcrypt("correct horse")
        let web = directory.appendingPathComponent("web.yml")
        try """
        tls_server_config:
          cert_file: cert.pem
          key_file: key.pem
          min_version: TLS13
        http_server_config:
          headers:
            X-Content-Type-Options: nosniff
        basic_auth_users:
          prometheus: \(hash)
        """.write(to: web, atomically: true, encoding: .utf8)
        let slaprobe = try ManagedProcess(
            Harness.slaprobe,
            ["demo", "--web.listen-address", "127.0.0.1:0", "--web.config.file", web.path]
        )
        defer { slaprobe.stop() }
        let port = try await slaprobe.listeningPort(message: "slaprobe listening")
        #expect(slaprobe.text.contains("tls=true"))
        let base = "https://127.0.0.1:\(port)"

        for path in ["/metrics", "/healthz", "/readyz", "/", "/api/v1/probes"] {
            #expect(try Self.curl(["--cacert", cert, base + path]).code == "401", "\(path) without credentials")
            #expect(try Self.curl(["--cacert", cert, "-u", "prometheus:wrong", base + path]).code == "401")
            #expect(try Self.curl(["--cacert", cert, "-u", "nobody:correct horse", base + path]).code == "401")
        }
        #expect(try Self.curl(["--cacert", cert, "-u", "prometheus:correct horse", base + "/healthz"]).code == "200")
        let (_, headers) = try Harness.run(
            "curl",
            ["-s", "-D", "-", "-o", "/dev/null", "--cacert", cert, "-u", "prometheus:correct horse", base + "/metrics"]
        )
        #expect(headers.lowercased().contains("x-content-type-options: nosniff"))
        #expect(headers.contains("200"))

        // min_version TLS13: a TLS 1.2-only client is refused; plain HTTP does not work either.
        #expect(
            try Self.curl(["--cacert", cert, "--tls-max", "1.2", "-u", "prometheus:correct horse", base + "/healthz"])
                .code == "000"
        )
        #expect(try Self.curl(["http://127.0.0.1:\(port)/healthz"]).code != "200")
        #expect(!slaprobe.text.contains("correct horse"))
        #expect(!slaprobe.text.contains(hash))
    }

    @Test func anInvalidWebConfigIsRefusedWithItsLocation() throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let web = directory.appendingPathComponent("web.yml")
        try """
        basic_auth_users:
          prometheus: plaintext-password
        tls_server_config:
          cert_file: missing.pem
          key_file: missing.key
        """.write(to: web, atomically: true, encoding: .utf8)
        let (status, output) = try Harness.run(
            Harness.slaprobe,
            [
                "--target.url", "http://127.0.0.1:1", "--web.config.file", web.path, "--web.listen-address",
                "127.0.0.1:0",
            ],
            environment: ["SLAPROBE_API_KEY": "k", "SLAPROBE_WEBHOOK_SECRET": "s"]
        )
        #expect(status == 1)
        #expect(output.contains("web.yml:2:15: basic_auth_users.prometheus: must be a bcrypt hash"), "\(output)")
        #expect(output.contains("web.yml:4:14: tls_server_config.cert_file"))
        #expect(!output.contains("plaintext-password"))
    }
}
