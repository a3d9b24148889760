import HTTPServer

/// What the `listen-address` fuzz target does with one input (shared with ``FuzzRegressionTests``): the bytes, as
/// UTF-8, are a `--web.listen-address`; a parsed one must round-trip into ``ServerOptions``.
enum ListenAddressFuzzInput {
    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let (host, port) = try? ServerOptions.parseListenAddress(text) else { return }
        precondition((0...65535).contains(port), "port \(port) out of range from \(text.debugDescription)")
        precondition(!host.contains("/"), "host \(host.debugDescription) has a slash")
        _ = try? ServerOptions(listenAddress: text)
    }
}
