import Foundation
import SlaprobeTesting

/// Small HTTP(S) servers on 127.0.0.1 that misbehave in one way each, run by one Python process (asyncio), so a
/// probe can be pointed at every kind of broken target at once.
///
/// | mode | behaviour |
/// | --- | --- |
/// | `ok` | a correct `200 ok` |
/// | `silent` | accepts, reads, never answers (also a TLS handshake that stalls: the ClientHello is never answered) |
/// | `trickle` | sends a status line and headers, then one body byte every 20 ms, forever |
/// | `huge` | `200` with a 50 MB body |
/// | `garbage` | bytes that are not HTTP, then closes |
/// | `redirect` | `302` to itself |
/// | `tls-self-signed` | HTTPS with a self-signed certificate, `200 ok` |
/// | `tls-expired` | HTTPS with a certificate that expired in 2020, `200 ok` |
struct MisbehavingServers {
    let process: ManagedProcess
    let ports: [String: Int]
    /// The self-signed certificate (valid, for 127.0.0.1) and the expired one, PEM files.
    let selfSignedCertificate: String
    let expiredCertificate: String

    func port(_ mode: String) -> Int { ports[mode]! }

    func stop() { process.stop() }

    /// Makes the certificates in `directory` and starts every mode on its own ephemeral port.
    static func start(in directory: URL) async throws -> MisbehavingServers {
        let selfSigned = try Certificates.selfSigned(in: directory)
        let expired = try Certificates.expired(in: directory)
        let script = directory.appendingPathComponent("misbehave.py")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        let process = try ManagedProcess(
            "python3",
            [
                "-u", script.path, selfSigned.certificate, selfSigned.key, expired.certificate,
                expired.key,
            ],
            name: "misbehave.py"
        )
        let text = try await process.waitForOutput(timeout: 15) { $0.contains("READY") }
        var ports: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 3, parts[0] == "PORT", let port = Int(parts[2]) { ports[String(parts[1])] = port }
        }
        return MisbehavingServers(
            process: process,
            ports: ports,
            selfSignedCertificate: selfSigned.certificate,
            expiredCertificate: expired.certificate
        )
    }

    static let script = #"""
        import asyncio, signal, ssl, sys

        CERT, KEY, EXPIRED_CERT, EXPIRED_KEY = sys.argv[1:5]
        OK = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"
        CHUNK = b"x" * 65536
        HUGE = 50 * 1000 * 1000

        async def read_request(reader):
            try:
                await reader.readuntil(b"\r\n\r\n")
                return True
            except Exception:
                return False

        async def drain_forever(reader):
            try:
                while await reader.read(65536):
                    pass
            except Exception:
                pass

        async def ok(reader, writer):
            if await read_request(reader):
                writer.write(OK)
                await writer.drain()

        async def silent(reader, writer):
            await drain_forever(reader)

        async def trickle(reader, writer):
            if await read_request(reader):
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000000\r\n\r\n")
                while True:
                    writer.write(b"x")
                    await writer.drain()
                    await asyncio.sleep(0.02)

        async def huge(reader, writer):
            if await read_request(reader):
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                             b"Content-Length: %d\r\nConnection: close\r\n\r\n" % HUGE)
                sent = 0
                while sent < HUGE:
                    writer.write(CHUNK)
                    await writer.drain()
                    sent += len(CHUNK)

        async def garbage(reader, writer):
            if await read_request(reader):
                writer.write(b"\x00\xff\xfeSSH-2.0-not-http \x1b[31m\r\n\x00\x00garbage\r\n\r\n")
                await writer.drain()

        async def redirect(reader, writer):
            if await read_request(reader):
                host = "127.0.0.1:%d" % writer.get_extra_info("sockname")[1]
                writer.write(b"HTTP/1.1 302 Found\r\nLocation: http://%s/loop\r\nContent-Length: 0\r\n"
                             b"Connection: close\r\n\r\n" % host.encode())
                await writer.drain()

        def guarded(handler):
            async def run(reader, writer):
                try:
                    await handler(reader, writer)
                except Exception:
                    pass
                finally:
                    try:
                        writer.close()
                    except Exception:
                        pass
            return run

        def tls_context(cert, key):
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert, key)
            return context

        async def main():
            loop = asyncio.get_running_loop()
            loop.set_exception_handler(lambda loop, context: None)
            modes = [
                ("ok", ok, None), ("silent", silent, None), ("trickle", trickle, None), ("huge", huge, None),
                ("garbage", garbage, None), ("redirect", redirect, None),
                ("tls-self-signed", ok, tls_context(CERT, KEY)),
                ("tls-expired", ok, tls_context(EXPIRED_CERT, EXPIRED_KEY)),
            ]
            servers = []
            for name, handler, context in modes:
                server = await asyncio.start_server(guarded(handler), "127.0.0.1", 0, ssl=context, backlog=1024,
                                                    ssl_handshake_timeout=5 if context else None)
                servers.append(server)
                print("PORT %s %d" % (name, server.sockets[0].getsockname()[1]))
            print("READY", flush=True)
            stop = asyncio.Event()
            loop.add_signal_handler(signal.SIGTERM, stop.set)
            await stop.wait()

        asyncio.run(main())
        """#
}

/// Certificates made with the `openssl` command line for the TLS faults.
enum Certificates {
    /// A self-signed certificate for 127.0.0.1, valid now.
    static func selfSigned(in directory: URL) throws -> (certificate: String, key: String) {
        let certificate = directory.appendingPathComponent("self-signed.pem").path
        let key = directory.appendingPathComponent("self-signed-key.pem").path
        try openssl([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "30",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ])
        return (certificate, key)
    }

    /// A certificate for 127.0.0.1 valid only on 1 January 2020, self-signed with `openssl ca -selfsign`, which
    /// (unlike `req -x509 -days`, which refuses a non-positive count) accepts any `-startdate`/`-enddate`. A probe
    /// that trusts it through `ca_file` can fail on nothing but its expiry.
    static func expired(in directory: URL) throws -> (certificate: String, key: String) {
        let ca = directory.appendingPathComponent("expired-ca")
        try FileManager.default.createDirectory(at: ca.appendingPathComponent("new"), withIntermediateDirectories: true)
        try "".write(to: ca.appendingPathComponent("index.txt"), atomically: true, encoding: .utf8)
        try "01\n".write(to: ca.appendingPathComponent("serial"), atomically: true, encoding: .utf8)
        let config = ca.appendingPathComponent("ca.cnf")
        try """
        [ca]
        default_ca = expired
        [expired]
        dir = \(ca.path)
        database = \(ca.path)/index.txt
        new_certs_dir = \(ca.path)/new
        serial = \(ca.path)/serial
        default_md = sha256
        policy = policy
        x509_extensions = extensions
        unique_subject = no
        [policy]
        commonName = supplied
        [extensions]
        subjectAltName = IP:127.0.0.1
        basicConstraints = CA:TRUE
        """.write(to: config, atomically: true, encoding: .utf8)
        let key = directory.appendingPathComponent("expired-key.pem").path
        let request = ca.appendingPathComponent("request.csr").path
        let certificate = directory.appendingPathComponent("expired.pem").path
        try openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", request, "-subj", "/CN=127.0.0.1"])
        try openssl([
            "ca", "-batch", "-config", config.path, "-selfsign", "-keyfile", key, "-in", request, "-out", certificate,
            "-startdate", "20200101000000Z", "-enddate", "20200102000000Z", "-notext",
        ])
        return (certificate, key)
    }

    private static func openssl(_ arguments: [String]) throws {
        let (status, output) = try Harness.run("openssl", arguments)
        guard status == 0 else { throw TestFailure("openssl \(arguments.first ?? ""): \(output)") }
    }
}
