/// The `global` section with every default filled in.
package struct GlobalConfig: Sendable, Equatable {
    /// The default probe interval. Default 5s.
    package var interval: Duration
    /// The default jitter as a fraction of the interval (0...0.5). Default 0.1.
    package var jitter: Double
    /// The default probe timeout (> 0, <= interval). Default 2s, or the interval when that is shorter.
    package var timeout: Duration
    /// The rolling windows, each at least 10s, unique, in configuration order. Default `[1m, 5m]`.
    package var windows: [Duration]
    /// The default response body cap in bytes. Default 1 MiB.
    package var maxBodyBytes: Int
    /// The User-Agent to send; nil means the caller supplies `slaprobe/<version>`.
    package var userAgent: String?

    /// Creates global settings; every parameter defaults to the documented default.
    package init(
        interval: Duration = ConfigDefaults.interval,
        jitter: Double = ConfigDefaults.jitter,
        timeout: Duration = ConfigDefaults.timeout,
        windows: [Duration] = ConfigDefaults.windows,
        maxBodyBytes: Int = ConfigDefaults.maxBodyBytes,
        userAgent: String? = nil
    ) {
        self.interval = interval
        self.jitter = jitter
        self.timeout = timeout
        self.windows = windows
        self.maxBodyBytes = maxBodyBytes
        self.userAgent = userAgent
    }
}
