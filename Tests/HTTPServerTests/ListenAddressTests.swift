import HTTPServer
import Testing

@Suite("parseListenAddress")
struct ListenAddressTests {
    @Test(
        "Valid addresses",
        arguments: [
            (":9330", "", 9330),
            ("127.0.0.1:9330", "127.0.0.1", 9330),
            ("0.0.0.0:0", "0.0.0.0", 0),
            ("[::1]:9330", "::1", 9330),
            ("[::]:80", "::", 80),
            ("localhost:65535", "localhost", 65535),
            ("example.com:1", "example.com", 1),
            (":0", "", 0),
        ]
    )
    func valid(input: String, host: String, port: Int) throws {
        let parsed = try ServerOptions.parseListenAddress(input)
        #expect(parsed.host == host)
        #expect(parsed.port == port)
    }

    @Test(
        "Invalid addresses",
        arguments: [
            "", "9330", "127.0.0.1", "127.0.0.1:", ":", "::1:9330", "[::1]", "[::1]9330", "[::1:9330", "[]:80",
            "host:port", "host:65536", "host:-1", "host:+80", "host:123456", "a b:80", "[127.0.0.1]:80",
        ]
    )
    func invalid(input: String) {
        #expect(throws: ServerError.invalidListenAddress(input)) {
            _ = try ServerOptions.parseListenAddress(input)
        }
    }

    @Test("Error message names the input")
    func message() {
        let error = ServerError.invalidListenAddress("nope")
        #expect(error.description.contains("\"nope\""))
        #expect(error.description.contains("host:port"))
    }

    @Test("Options from a listen address")
    func optionsFromAddress() throws {
        let options = try ServerOptions(listenAddress: "[::1]:9330", threading: .threadPerConnection)
        #expect(options.host == "::1")
        #expect(options.port == 9330)
        #expect(options.threading == .threadPerConnection)
        #expect(options.connectionLimit == 512)
        #expect(options.connectionTimeoutSeconds == 30)
        #expect(options.maxRequestBodyBytes == 1 << 20)
    }
}
