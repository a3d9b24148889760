#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A bound, listening TCP socket ready to hand to libmicrohttpd.
struct ListeningSocket {
    var fd: Int32
    var port: Int
}

/// The text of an errno value as a lowercase message ("address already in use").
func errnoMessage(_ code: Int32) -> String {
    guard let cString = strerror(code) else { return "error \(code)" }
    let message = String(cString: cString)
    guard let first = message.first else { return "error \(code)" }
    return first.lowercased() + message.dropFirst()
}

/// Creates, binds and listens on a socket for `host:port` ourselves (rather than letting MHD do it) so
/// that failures carry the real errno, which MHD_start_daemon does not report.
func makeListeningSocket(host: String, port: Int, display: String) throws(ServerError) -> ListeningSocket {
    let bindHost = host.isEmpty ? "0.0.0.0" : host
    var hints = addrinfo()
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
    hints.ai_family = AF_UNSPEC
    #if canImport(Darwin)
        hints.ai_socktype = SOCK_STREAM
    #else
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    #endif
    var list: UnsafeMutablePointer<addrinfo>?
    let rc = getaddrinfo(bindHost, String(port), &hints, &list)
    guard rc == 0, let first = list else {
        let reason = rc == 0 ? "no address" : String(cString: gai_strerror(rc))
        throw .cannotResolve(host: host, reason: reason)
    }
    defer { freeaddrinfo(list) }

    var lastError: Int32 = EADDRNOTAVAIL
    var cursor: UnsafeMutablePointer<addrinfo>? = first
    while let info = cursor {
        cursor = info.pointee.ai_next
        var type = info.pointee.ai_socktype
        #if !canImport(Darwin)
            type |= Int32(SOCK_CLOEXEC.rawValue)
        #endif
        let fd = socket(info.pointee.ai_family, type, info.pointee.ai_protocol)
        if fd < 0 {
            lastError = errno
            continue
        }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if info.pointee.ai_family == AF_INET6 {
            // "::" means every interface, IPv4 included; any other IPv6 address means just that one.
            var v6only: Int32 = bindHost == "::" ? 0 : 1
            _ = setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &v6only, socklen_t(MemoryLayout<Int32>.size))
        }
        if bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 || listen(fd, SOMAXCONN) != 0 {
            lastError = errno
            close(fd)
            continue
        }
        return ListeningSocket(fd: fd, port: boundPort(fd) ?? port)
    }
    throw .cannotBind(address: display, reason: errnoMessage(lastError))
}

/// The local port of a bound socket.
func boundPort(_ fd: Int32) -> Int? {
    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    let rc = withUnsafeMutablePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard rc == 0 else { return nil }
    return withUnsafePointer(to: &storage) { pointer -> Int? in
        switch Int32(pointer.pointee.ss_family) {
        case AF_INET:
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                Int(UInt16(bigEndian: $0.pointee.sin_port))
            }
        case AF_INET6:
            return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                Int(UInt16(bigEndian: $0.pointee.sin6_port))
            }
        default:
            return nil
        }
    }
}

/// The numeric host of a socket address ("127.0.0.1", "::1").
func numericHost(_ address: UnsafePointer<sockaddr>) -> String? {
    let length: socklen_t
    switch Int32(address.pointee.sa_family) {
    case AF_INET: length = socklen_t(MemoryLayout<sockaddr_in>.size)
    case AF_INET6: length = socklen_t(MemoryLayout<sockaddr_in6>.size)
    default: return nil
    }
    var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
    let rc = getnameinfo(address, length, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST)
    guard rc == 0 else { return nil }
    let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    // IPv4 peers of a dual-stack ("::") socket show up IPv4-mapped; report them as plain IPv4.
    if text.hasPrefix("::ffff:"), text.dropFirst(7).contains(".") { return String(text.dropFirst(7)) }
    return text
}
