/// How the server runs handlers.
package enum ServerThreading: Sendable, Equatable {
    /// One internal polling thread (epoll) serves every connection; handlers must not block.
    case internalThread
    /// One thread per connection; handlers may block (e.g. sleep to inject latency).
    case threadPerConnection
    /// A fixed pool of polling threads (epoll), so one slow or flooded request does not hold up the others
    /// (a `/metrics` flood must not starve `/healthz`); handlers must not block and must be thread-safe.
    case threadPool(Int)
}

/// Certificate and key for serving HTTPS.
package struct ServerTLS: Sendable, Equatable {
    /// PEM certificate, optionally followed by its chain.
    package var certificatePEM: String
    /// PEM private key matching the certificate.
    package var privateKeyPEM: String
    /// Oldest protocol version accepted.
    package var minVersion: TLSVersion
    /// Newest protocol version accepted.
    package var maxVersion: TLSVersion

    /// Builds a TLS configuration from PEM text.
    package init(
        certificatePEM: String,
        privateKeyPEM: String,
        minVersion: TLSVersion = .tls12,
        maxVersion: TLSVersion = .tls13
    ) {
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
        self.minVersion = minVersion
        self.maxVersion = maxVersion
    }

    /// The GnuTLS priority string (libmicrohttpd's TLS backend) that allows exactly the versions from
    /// ``minVersion`` to ``maxVersion``.
    package var gnuTLSPriorities: String {
        let allowed = TLSVersion.allCases.filter { $0 >= minVersion && $0 <= maxVersion }
        return "NORMAL:-VERS-ALL" + allowed.map { ":+VERS-\($0.gnuTLSName)" }.joined()
    }
}

/// A TLS protocol version, named as the exporter-toolkit's `min_version` names it.
package enum TLSVersion: String, Sendable, CaseIterable, Comparable {
    /// TLS 1.0.
    case tls10 = "TLS10"
    /// TLS 1.1.
    case tls11 = "TLS11"
    /// TLS 1.2.
    case tls12 = "TLS12"
    /// TLS 1.3.
    case tls13 = "TLS13"

    var gnuTLSName: String {
        switch self {
        case .tls10: "TLS1.0"
        case .tls11: "TLS1.1"
        case .tls12: "TLS1.2"
        case .tls13: "TLS1.3"
        }
    }

    package static func < (lhs: TLSVersion, rhs: TLSVersion) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// How and where an ``HTTPServer`` listens.
package struct ServerOptions: Sendable {
    /// The address to bind: an IPv4/IPv6 literal or host name. "" and "0.0.0.0" mean all IPv4 interfaces,
    /// "::" all interfaces (IPv6 and, where the system allows, IPv4).
    package var host: String
    /// The TCP port; 0 picks an ephemeral port (read it back from ``HTTPServer/port``).
    package var port: Int
    /// How handlers are run.
    package var threading: ServerThreading
    /// The maximum number of concurrent connections; more are refused.
    package var connectionLimit: Int
    /// Idle or slow clients are disconnected after this many seconds of inactivity (0 = never).
    package var connectionTimeoutSeconds: Int
    /// The maximum number of concurrent connections from one client address (0 = no limit), so one client
    /// (a slowloris, a runaway scraper) cannot take every connection slot.
    package var perAddressConnectionLimit: Int
    /// Larger request bodies are answered with 413 and never reach the handler.
    package var maxRequestBodyBytes: Int
    /// When set, the server speaks HTTPS only.
    package var tls: ServerTLS?
    /// The nice value of the threads that serve requests (Linux; 0 leaves them at the process's). A positive value
    /// lets a flood of requests take only the CPU that threads keeping time (probe starts) leave over.
    package var handlerNice: Int = 0

    /// Builds options; every parameter has a default.
    package init(
        host: String = "127.0.0.1",
        port: Int = 0,
        threading: ServerThreading = .internalThread,
        connectionLimit: Int = 512,
        connectionTimeoutSeconds: Int = 30,
        perAddressConnectionLimit: Int = 0,
        maxRequestBodyBytes: Int = 1 << 20,
        tls: ServerTLS? = nil
    ) {
        self.perAddressConnectionLimit = perAddressConnectionLimit
        self.host = host
        self.port = port
        self.threading = threading
        self.connectionLimit = connectionLimit
        self.connectionTimeoutSeconds = connectionTimeoutSeconds
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.tls = tls
    }

    /// Builds options from a Prometheus-style listen address (see ``parseListenAddress(_:)``).
    package init(listenAddress: String, threading: ServerThreading = .internalThread) throws(ServerError) {
        let (host, port) = try Self.parseListenAddress(listenAddress)
        self.init(host: host, port: port, threading: threading)
    }

    /// Parses a Prometheus-style listen address: ":9330" (all interfaces, host ""), "127.0.0.1:9330",
    /// "localhost:9330", "[::1]:9330", "0.0.0.0:0". IPv6 literals must be bracketed; the port must be
    /// decimal in 0...65535.
    package static func parseListenAddress(_ s: String) throws(ServerError) -> (host: String, port: Int) {
        let host: Substring
        let portText: Substring
        if s.hasPrefix("[") {
            guard let close = s.firstIndex(of: "]") else { throw .invalidListenAddress(s) }
            host = s[s.index(after: s.startIndex)..<close]
            let rest = s[s.index(after: close)...]
            guard rest.hasPrefix(":"), !host.isEmpty, host.contains(":") else { throw .invalidListenAddress(s) }
            portText = rest.dropFirst()
        } else {
            guard let colon = s.lastIndex(of: ":") else { throw .invalidListenAddress(s) }
            host = s[..<colon]
            portText = s[s.index(after: colon)...]
            guard !host.contains(":"), !host.contains("["), !host.contains("]") else {
                throw .invalidListenAddress(s)
            }
        }
        guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
            let port = Int(portText), port <= 65535
        else { throw .invalidListenAddress(s) }
        guard !host.contains(where: { $0.isWhitespace || $0 == "/" }) else { throw .invalidListenAddress(s) }
        return (String(host), port)
    }

    /// "host:port" for messages, bracketing IPv6 literals.
    var displayAddress: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
