/// Time spent in each phase of one transfer, in seconds.
///
/// libcurl reports cumulative stamps from the start of the transfer; the phases are their differences:
/// `dns` up to name resolution, `connect` the TCP handshake, `tls` the TLS handshake, `processing` from the
/// connection being ready to the first response byte (sending the request included), `transfer` reading the rest
/// of the response. They add up to `total`.
package struct PhaseTimings: Sendable, Equatable {
    /// Name resolution.
    package var dns: Double
    /// TCP connection set-up.
    package var connect: Double
    /// TLS handshake (0 for plain HTTP or a reused connection).
    package var tls: Double
    /// From the connection being ready to the first response byte: sending the request and the server's
    /// processing time.
    package var processing: Double
    /// Reading the response after its first byte.
    package var transfer: Double
    /// The whole transfer.
    package var total: Double

    /// Creates timings.
    package init(
        dns: Double = 0,
        connect: Double = 0,
        tls: Double = 0,
        processing: Double = 0,
        transfer: Double = 0,
        total: Double = 0
    ) {
        self.dns = dns
        self.connect = connect
        self.tls = tls
        self.processing = processing
        self.transfer = transfer
        self.total = total
    }

    /// The phases by name, in order, as metrics label them.
    package var named: [(phase: String, seconds: Double)] {
        [("dns", dns), ("connect", connect), ("tls", tls), ("processing", processing), ("transfer", transfer)]
    }

    /// Phase names, in the order of ``named``.
    package static let phaseNames = ["dns", "connect", "tls", "processing", "transfer"]
}

/// Why a transfer did not produce a complete HTTP response.
package enum TransferErrorKind: String, Sendable, Equatable {
    /// The transfer's time limit passed.
    case timeout
    /// The host name could not be resolved.
    case dns
    /// The TCP connection was refused or could not be made.
    case connect
    /// The TLS handshake or certificate verification failed.
    case tls
    /// The response body was larger than the request's limit.
    case bodyTooLarge = "body_too_large"
    /// The transfer was abandoned because its loop shut down.
    case cancelled
    /// Anything else: a malformed response, a reset connection, a bad URL.
    case other
}

/// A failed transfer: what kind of failure and libcurl's own words for it.
package struct TransferError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The failure class.
    package var kind: TransferErrorKind
    /// libcurl's message, e.g. "Failed to connect to 127.0.0.1 port 1: Connection refused".
    package var message: String

    /// Creates an error.
    package init(kind: TransferErrorKind, message: String) {
        self.kind = kind
        self.message = message
    }

    package var description: String { "\(kind.rawValue): \(message)" }
}

/// Everything one transfer measured and received.
package struct TransferResult: Sendable {
    /// HTTP status code, or 0 when no response arrived.
    package var status: Int
    /// Response header fields of the final response, in order.
    package var headers: [(name: String, value: String)]
    /// The response body (up to the request's limit).
    package var body: [UInt8]
    /// Body bytes received.
    package var bytesReceived: Int
    /// Phase timings.
    package var timings: PhaseTimings
    /// For `https`, the earliest `notAfter` of the peer's certificate chain, as Unix seconds.
    package var certificateExpiry: Double?
    /// Set when the transfer failed before a complete response arrived.
    package var error: TransferError?

    /// Creates a result.
    package init(
        status: Int = 0,
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = [],
        bytesReceived: Int = 0,
        timings: PhaseTimings = PhaseTimings(),
        certificateExpiry: Double? = nil,
        error: TransferError? = nil
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.bytesReceived = bytesReceived
        self.timings = timings
        self.certificateExpiry = certificateExpiry
        self.error = error
    }

    /// The value of the last response header with this name, compared case-insensitively.
    package func header(_ name: String) -> String? {
        headers.last { Self.equalIgnoringASCIICase($0.name, name) }?.value
    }

    /// The body decoded as UTF-8 (invalid sequences repaired).
    package var bodyString: String { String(decoding: body, as: UTF8.self) }

    /// Header names are ASCII: compare them byte by byte, folding case, without allocating lowercased copies.
    static func equalIgnoringASCIICase(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        for (x, y) in zip(a.utf8, b.utf8) where x != y {
            let lowerX = (x >= 65 && x <= 90) ? x | 0x20 : x
            let lowerY = (y >= 65 && y <= 90) ? y | 0x20 : y
            if lowerX != lowerY { return false }
        }
        return true
    }
}
