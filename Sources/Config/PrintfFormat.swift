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
            guard needed >= buffer.count else { return String(cString: buffer) }
            return withVaList(arguments) { again in
                var large = [CChar](repeating: 0, count: needed + 1)
                _ = vsnprintf(&large, large.count, format, again)
                return String(cString: large)
            }
        }
    }
}

extension String {
    /// The text cut or padded with spaces on the right to `width` characters.
    package func padded(to width: Int) -> String {
        count >= width ? String(prefix(width)) : self + String(repeating: " ", count: width - count)
    }
}
