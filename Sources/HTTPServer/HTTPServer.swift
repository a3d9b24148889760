import CMicroHTTPD
import CThreads
import Locking

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An HTTP/1.1 server over libmicrohttpd.
///
/// The handler runs on libmicrohttpd's threads: with ``ServerThreading/internalThread`` all requests share
/// one thread, so the handler must not block; with ``ServerThreading/threadPerConnection`` it may.
/// The server stops when ``stop()`` is called or when the object is deinitialized.
package final class HTTPServer: Sendable {
    /// The port actually bound (the ephemeral one when the options asked for port 0).
    package let port: Int
    /// The options the server was started with (``ServerOptions/port`` is the requested port).
    package let options: ServerOptions

    /// Passed to C as `cls`; retained by this object, so it outlives MHD_stop_daemon.
    private let context: ServerContext
    private let state: Locked<DaemonState>

    /// Binds the listen address and starts serving; throws when the address cannot be used.
    package init(
        options: ServerOptions,
        handler: @escaping @Sendable (ServerRequest) -> ServerResponse
    ) throws(ServerError) {
        guard (0...65535).contains(options.port) else { throw .invalidOption("port \(options.port) not in 0...65535") }
        guard options.connectionLimit > 0, options.connectionLimit <= Int(UInt32.max) else {
            throw .invalidOption("connectionLimit must be positive")
        }
        guard options.connectionTimeoutSeconds >= 0, options.connectionTimeoutSeconds <= Int(UInt32.max) else {
            throw .invalidOption("connectionTimeoutSeconds must not be negative")
        }
        guard options.maxRequestBodyBytes >= 0 else { throw .invalidOption("maxRequestBodyBytes must not be negative") }

        self.options = options
        let context = ServerContext(
            handler: handler,
            maxRequestBodyBytes: options.maxRequestBodyBytes,
            handlerNice: Int32(clamping: max(0, min(19, options.handlerNice)))
        )
        self.context = context

        let display = options.displayAddress
        let socket = try makeListeningSocket(host: options.host, port: options.port, display: display)

        var flags: UInt32
        switch options.threading {
        case .internalThread:
            flags = MHD_USE_INTERNAL_POLLING_THREAD.rawValue
            flags |=
                MHD_is_feature_supported(.FEATURE_EPOLL) == MHD_Result.YES
                ? MHD_USE_EPOLL.rawValue : MHD_USE_AUTO.rawValue
        case .threadPerConnection:
            flags = MHD_USE_THREAD_PER_CONNECTION.rawValue | MHD_USE_INTERNAL_POLLING_THREAD.rawValue
        case .threadPool:
            flags = MHD_USE_INTERNAL_POLLING_THREAD.rawValue
            flags |=
                MHD_is_feature_supported(.FEATURE_EPOLL) == MHD_Result.YES
                ? MHD_USE_EPOLL.rawValue : MHD_USE_AUTO.rawValue
        }
        var poolSize: UInt32 = 0
        if case .threadPool(let size) = options.threading { poolSize = UInt32(max(1, size)) }
        if socket.fd >= 0, options.host.contains(":") {
            flags |= MHD_USE_IPv6.rawValue
        }
        // MHD_USE_ERROR_LOG is deliberately absent: no stderr noise; failures surface as ServerError.

        let cls = Unmanaged.passUnretained(context).toOpaque()
        let limit = UInt32(options.connectionLimit)
        let timeout = UInt32(options.connectionTimeoutSeconds)
        // libmicrohttpd keeps pointers to the TLS strings until it stops: copies live in DaemonState.
        var tlsStrings: [UnsafeMutablePointer<CChar>] = []
        if let tls = options.tls {
            guard let cert = strdup(tls.certificatePEM), let key = strdup(tls.privateKeyPEM),
                let priorities = strdup(tls.gnuTLSPriorities)
            else {
                close(socket.fd)
                throw .cannotStart(address: display, reason: "out of memory")
            }
            tlsStrings = [cert, key, priorities]
        }
        // Without TLS strings (NULL), the shim starts a plain-HTTP daemon.
        let daemon = slaprobe_mhd_start(
            flags,
            UInt16(socket.port),
            socket.fd,
            nil,
            limit,
            timeout,
            poolSize,
            UInt32(max(0, options.perAddressConnectionLimit)),
            accessCallback,
            cls,
            completedCallback,
            cls,
            tlsStrings.count == 3 ? tlsStrings[0] : nil,
            tlsStrings.count == 3 ? tlsStrings[1] : nil,
            tlsStrings.count == 3 ? tlsStrings[2] : nil,
            RequestPath.unescape
        )
        guard let daemon else {
            let code = errno
            close(socket.fd)
            for string in tlsStrings { free(string) }
            var reason = "libmicrohttpd refused to start"
            if options.tls != nil { reason += " (check that the TLS certificate and key are valid PEM and match)" }
            if code != 0 { reason += ": \(errnoMessage(code))" }
            throw .cannotStart(address: display, reason: reason)
        }
        let reported = Int(slaprobe_mhd_bound_port(daemon))
        self.port = reported != 0 ? reported : socket.port
        self.state = Locked(DaemonState(daemon: daemon, tlsStrings: tlsStrings))
    }

    deinit {
        stop()
    }

    /// Stops accepting connections, closes open ones and waits for running handlers to finish.
    ///
    /// Idempotent and callable from any thread, except from inside a handler (it would wait for itself).
    /// Once it returns, no handler runs and the port is closed.
    package func stop() {
        state.withLock { state in
            guard let daemon = state.daemon else { return }
            MHD_stop_daemon(daemon)
            state.daemon = nil
            for string in state.tlsStrings { free(string) }
            state.tlsStrings = []
        }
    }

    /// Whether ``stop()`` has not been called yet.
    package var isRunning: Bool {
        state.withLock { $0.daemon != nil }
    }
}

/// Mutable daemon handle; only touched under the server's mutex.
private struct DaemonState {
    var daemon: OpaquePointer?
    var tlsStrings: [UnsafeMutablePointer<CChar>]
}
