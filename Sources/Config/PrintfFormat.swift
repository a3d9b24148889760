#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// printf-style formatting of numbers (`%.3f`, `%.4g`, `%5d`), through the C library's `vsnprintf` in the C
/// locale: what `String(format:)` did for slaprobe's reports and pages, without Foundation's string layer.
package enum PrintfFormat {
    /// `format` with `arguments` substituted, as printf(3) would print them.
    package static func string(_ format: String, _ arguments: CVarArg...) -> String {
        withVaList(arguments) { list in
            var buffer = [CChar](repeating: 0, count: 128)
            let needed = Int(vsnprintf(&buffer, buffer.count, format, list))
            guard needed >= buffer.count else { return text(buffer, count: needed) }
            return withVaList(arguments) { again in
                var large = [CChar](repeating: 0, count: needed + 1)
                _ = vsnprintf(&large, large.count, format, again)
                return text(large, count: needed)
            }
        }
    }

    /// The first `count` bytes of what vsnprintf wrote, as UTF-8 (an encoding error writes nothing).
    private static func text(_ buffer: [CChar], count: Int) -> String {
        buffer.withUnsafeBytes { String(decoding: $0.prefix(Swift.max(0, count)), as: UTF8.self) }
    }
}

extension String {
    /// The text cut or padded with spaces on the right to `width` characters.
    package func padded(to width: Int) -> String {
        count >= width ? String(prefix(width)) : self + String(repeating: " ", count: width - count)
    }
}
