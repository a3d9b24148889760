import FoundationEssentials
import Locking

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The demo's alert state and outbox: a fresh temporary directory per run, removed when the process exits.
///
/// Each run starts clean (no alerts or notifications left by an earlier demo), two demos side by side never
/// share one, and the working directory stays untouched.
enum DemoStorage {
    /// The directory of this run, once created.
    private static let directory = Locked<String?>(nil)

    /// Creates this run's directory and arranges its removal at exit: a normal return, a signal-driven
    /// shutdown, or a start-up failure that exits early.
    static func create() throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("slaprobe-demo-\(UUID().uuidString.lowercased())").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        directory.withLock { $0 = path }
        atexit { DemoStorage.remove() }
        return path
    }

    private static func remove() {
        guard let path = directory.withLock({ $0 }) else { return }
        try? FileManager.default.removeItem(atPath: path)
    }
}
