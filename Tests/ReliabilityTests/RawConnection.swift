import Foundation
import SlaprobeTesting

#if canImport(Glibc)
    import Glibc
#endif

/// A plain blocking TCP connection to 127.0.0.1, for sending what no HTTP client would send.
final class RawConnection {
    let fd: Int32

    /// Connects to 127.0.0.1:`port` from `source` (any address of 127.0.0.0/8 is loopback on Linux, so tests can
    /// play several client hosts); throws if the connection is refused.
    init(port: Int, source: String? = nil, receiveTimeout: Double = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: \(String(cString: strerror(errno)))") }
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_addr.s_addr = inet_addr(source)
            let bound = withUnsafePointer(to: &local) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            guard bound else {
                close(fd)
                throw TestFailure("bind to \(source): \(String(cString: strerror(errno)))")
            }
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw TestFailure("connect to port \(port): \(message)")
        }
        var timeout = timeval(
            tv_sec: Int(receiveTimeout),
            tv_usec: Int((receiveTimeout.truncatingRemainder(dividingBy: 1)) * 1e6)
        )
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(fd) }

    /// Sends all of `bytes`; returns false when the peer has closed or reset the connection.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Reads until the peer closes, `limit` bytes arrived, or the receive timeout passes.
    func receive(limit: Int = 1 << 20) -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while result.count < limit {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            result += buffer[0..<n]
        }
        return result
    }

    /// Whether the peer has closed the connection (a read returns end of file or an error) within `timeout`.
    func peerClosed(within timeout: Double) -> Bool {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, Int32(timeout * 1000)) > 0 else { return false }
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        return n <= 0
    }

    /// `GET path` on a new connection from `source`; the status, or nil when no response came within `timeout`.
    static func get(port: Int, path: String, source: String, timeout: Double) -> Int? {
        guard let connection = try? RawConnection(port: port, source: source, receiveTimeout: timeout) else {
            return nil
        }
        guard connection.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n") else {
            return nil
        }
        return status(connection.receive(limit: 4096))
    }

    /// The status code of the HTTP response in `bytes`, or nil.
    static func status(_ bytes: [UInt8]) -> Int? {
        let head = String(decoding: bytes.prefix(64), as: UTF8.self)
        guard let match = head.firstMatch(of: /^HTTP\/1\.[01] (\d{3})/) else { return nil }
        return Int(match.1)
    }
}
