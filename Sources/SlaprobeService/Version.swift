import FoundationEssentials

/// slaprobe's version, shown in `slaprobe_build_info`, `--version` and the `User-Agent`.
package enum Version {
    /// The release version.
    package static let number = "0.1.0"
    /// The source revision, set at build time through the `SLAPROBE_REVISION` environment variable of the
    /// process if present, else "unknown".
    package static var revision: String {
        ProcessInfo.processInfo.environment["SLAPROBE_REVISION"] ?? "unknown"
    }
    /// The `User-Agent` of probe requests.
    package static let userAgent = "slaprobe/\(number) (+https://github.com/slaprobe/slaprobe; synthetic monitoring)"
}
