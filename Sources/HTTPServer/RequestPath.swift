import CMicroHTTPD

/// How the server decodes and checks request paths before any handler sees them.
///
/// libmicrohttpd decodes `%HH` in place and hands the path over as a C string, which ends at the first NUL:
/// `/metrics%00junk` would reach the handler as `/metrics`. The server decodes a NUL to U+0001 instead and
/// refuses every path holding a control character with 400, so such a request is never served as another path.
enum RequestPath {
    /// MHD's own `%HH` decoding, with a decoded NUL written as U+0001.
    static let unescape: slaprobe_mhd_unescaper = { _, _, text in
        guard let text else { return 0 }
        let length = MHD_http_unescape(text)
        for index in 0..<length where text[index] == 0 { text[index] = 1 }
        return length
    }

    /// Whether the decoded path is free of control characters (C0 and DEL).
    static func isAcceptable(_ path: String) -> Bool {
        !path.utf8.contains { $0 < 0x20 || $0 == 0x7F }
    }

    /// The answer to a path with a control character.
    static var refusal: ServerResponse {
        .text("bad request: the path contains a control character\n", status: 400)
    }
}
