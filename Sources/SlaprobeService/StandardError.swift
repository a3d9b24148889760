#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's standard error, written with write(2): log lines and command-line diagnostics go out whole and
/// unbuffered, each in as few system calls as the pipe takes.
package enum StandardError {
    /// Writes `text` (UTF-8), retrying after a partial write or an interrupted call; other errors drop the rest
    /// (there is nowhere left to report them).
    package static func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}
