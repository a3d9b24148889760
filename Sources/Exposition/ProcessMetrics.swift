#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The standard `process_*` metrics of the Prometheus client libraries, read from Linux `/proc`.
///
/// Writes `process_cpu_seconds_total`, `process_resident_memory_bytes`, `process_virtual_memory_bytes`,
/// `process_start_time_seconds`, `process_open_fds` and `process_max_fds`. Each metric is written only when
/// its source could be read, so on systems without `/proc` nothing is written.
package struct ProcessMetrics: Sendable {
    /// CPU time (user + system) in seconds.
    package var cpuSeconds: Double?
    /// Resident set size in bytes.
    package var residentMemoryBytes: Double?
    /// Virtual memory size in bytes.
    package var virtualMemoryBytes: Double?
    /// Process start time in seconds since the Unix epoch.
    package var startTimeSeconds: Double?
    /// Number of open file descriptors.
    package var openFDs: Double?
    /// Soft limit on open file descriptors.
    package var maxFDs: Double?

    /// Creates a value set, for example to write values read elsewhere; `nil` values are not written.
    package init(
        cpuSeconds: Double? = nil,
        residentMemoryBytes: Double? = nil,
        virtualMemoryBytes: Double? = nil,
        startTimeSeconds: Double? = nil,
        openFDs: Double? = nil,
        maxFDs: Double? = nil
    ) {
        self.cpuSeconds = cpuSeconds
        self.residentMemoryBytes = residentMemoryBytes
        self.virtualMemoryBytes = virtualMemoryBytes
        self.startTimeSeconds = startTimeSeconds
        self.openFDs = openFDs
        self.maxFDs = maxFDs
    }

    /// Reads the current values from `/proc/self/stat`, `/proc/stat` (`btime`), `/proc/self/fd` and
    /// `/proc/self/limits`. Values that cannot be read are `nil`.
    package static func collect() -> ProcessMetrics {
        var metrics = ProcessMetrics()
        #if os(Linux)
            let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
            let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
            if let stat = readText("/proc/self/stat"), let close = stat.lastIndex(of: ")") {
                // Fields after "comm)": state is field 3, so field n is at index n - 3.
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                func field(_ number: Int) -> Double? {
                    number - 3 < fields.count ? Double(fields[number - 3]) : nil
                }
                if ticks > 0, let user = field(14), let system = field(15) {
                    metrics.cpuSeconds = (user + system) / ticks
                }
                metrics.virtualMemoryBytes = field(23)
                if pageSize > 0, let pages = field(24) { metrics.residentMemoryBytes = pages * pageSize }
                if ticks > 0, let start = field(22), let bootTime = bootTime() {
                    metrics.startTimeSeconds = bootTime + start / ticks
                }
            }
            metrics.openFDs = countOpenFDs()
            metrics.maxFDs = maxOpenFiles()
        #endif
        return metrics
    }

    /// Reads the process metrics and writes the available ones into `writer`.
    /// - Parameter startTime: Overrides `process_start_time_seconds` (seconds since the Unix epoch), for
    ///   example with a time recorded at launch.
    package static func write(into writer: inout ExpositionWriter, startTime: Double? = nil) {
        var metrics = collect()
        if let startTime { metrics.startTimeSeconds = startTime }
        metrics.write(into: &writer)
    }

    /// Writes the non-`nil` values into `writer`.
    package func write(into writer: inout ExpositionWriter) {
        if let cpuSeconds {
            writer.family(
                "process_cpu_seconds",
                type: .counter,
                help: "Total user and system CPU time spent in seconds.",
                unit: "seconds"
            )
            writer.counter("process_cpu_seconds", .empty, cpuSeconds)
        }
        let gauges: [(String, String, String?, Double?)] = [
            ("process_resident_memory_bytes", "Resident memory size in bytes.", "bytes", residentMemoryBytes),
            ("process_virtual_memory_bytes", "Virtual memory size in bytes.", "bytes", virtualMemoryBytes),
            (
                "process_start_time_seconds", "Start time of the process since unix epoch in seconds.", "seconds",
                startTimeSeconds
            ),
            ("process_open_fds", "Number of open file descriptors.", nil, openFDs),
            ("process_max_fds", "Maximum number of open file descriptors.", nil, maxFDs),
        ]
        for (name, help, unit, value) in gauges {
            guard let value else { continue }
            writer.family(name, type: .gauge, help: help, unit: unit)
            writer.gauge(name, .empty, value)
        }
    }

    #if os(Linux)
        /// Reads a whole (possibly size-0 `/proc`) file as UTF-8.
        private static func readText(_ path: String) -> String? {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            defer { _ = close(fd) }
            var result: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0 {
                    if errno == EINTR { continue }
                    return nil
                }
                if count == 0 { break }
                result.append(contentsOf: chunk[0..<count])
            }
            return String(decoding: result, as: UTF8.self)
        }

        private static func bootTime() -> Double? {
            guard let stat = readText("/proc/stat") else { return nil }
            for line in stat.split(separator: "\n") where line.hasPrefix("btime ") {
                return Double(line.dropFirst("btime ".count))
            }
            return nil
        }

        /// Counts `/proc/self/fd` entries, not counting the descriptor used to list the directory.
        private static func countOpenFDs() -> Double? {
            guard let directory = opendir("/proc/self/fd") else { return nil }
            defer { closedir(directory) }
            var count = 0
            while let entry = readdir(directory) {
                let first = withUnsafeBytes(of: entry.pointee.d_name) { $0[0] }
                if first != UInt8(ascii: ".") { count += 1 }
            }
            return Double(max(count - 1, 0))
        }

        /// The soft limit from the `Max open files` line of `/proc/self/limits`.
        private static func maxOpenFiles() -> Double? {
            guard let limits = readText("/proc/self/limits") else { return nil }
            for line in limits.split(separator: "\n") where line.hasPrefix("Max open files") {
                let soft = line.dropFirst("Max open files".count).split(separator: " ").first
                return soft.flatMap { $0 == "unlimited" ? .infinity : Double($0) }
            }
            return nil
        }
    #endif
}
