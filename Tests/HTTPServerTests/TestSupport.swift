import Foundation
import HTTPServer
import Locking
import SlaprobeTesting

#if canImport(Glibc)
    import Glibc
#endif

/// Thread-safe box the handler writes into and the test reads from.
final class Recorder: Sendable {
    private let requests = Locked<[ServerRequest]>([])

    func record(_ request: ServerRequest) {
        requests.withLock { $0.append(request) }
    }

    var all: [ServerRequest] { requests.withLock { $0 } }
    var count: Int { requests.withLock { $0.count } }
}

struct CurlError: Error, CustomStringConvertible {
    var description: String
}

/// What a curl run produced.
struct CurlResult {
    var exitCode: Int32
    var stdout: String
    var stderr: String
    /// Response headers from the last response (lowercased names), when `-D` output was captured.
    var headers: [String: String] = [:]
    var status: Int = 0
}

/// Runs curl (from PATH) with bounded timeouts. Response headers are dumped to a temp file and parsed;
/// `-w` output lands in stdout.
func curl(_ arguments: [String], maxTime: Int = 15) throws -> CurlResult {
    let headerFile = FileManager.default.temporaryDirectory
        .appendingPathComponent("curl-headers-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: headerFile) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try Harness.executable("curl"))
    process.arguments =
        ["--silent", "--show-error", "--max-time", String(maxTime), "--connect-timeout", "5", "-D", headerFile]
        + arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    var result = CurlResult(
        exitCode: process.terminationStatus,
        stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self)
    )
    if let text = try? String(contentsOfFile: headerFile, encoding: .utf8) {
        // Keep only the final response block (skips "100 Continue").
        let blocks = text.components(separatedBy: "\r\n\r\n").filter { !$0.isEmpty }
        if let last = blocks.last {
            let lines = last.components(separatedBy: "\r\n")
            if let statusLine = lines.first {
                let parts = statusLine.split(separator: " ")
                if parts.count >= 2 { result.status = Int(parts[1]) ?? 0 }
            }
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = line[..<colon].lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                result.headers[name] = value
            }
        }
    }
    return result
}

/// Writes `count` bytes to a temp file and returns its path (for `--data-binary @path`).
func temporaryFile(bytes count: Int, fill: UInt8 = UInt8(ascii: "x")) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("body-\(UUID().uuidString)").path
    try Data(repeating: fill, count: count).write(to: URL(fileURLWithPath: path))
    return path
}

/// Whether a TCP connection to 127.0.0.1:port succeeds (false on ECONNREFUSED).
func canConnect(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let rc = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    return rc == 0
}
