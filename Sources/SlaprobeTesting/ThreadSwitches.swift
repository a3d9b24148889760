import Foundation

/// The threads of a process as `/proc` shows them: each one's name and context switches so far (voluntary and
/// involuntary), by thread id. Over a quiet window, the growth of the switches counts wake-ups.
package enum ThreadSwitches {
    /// One thread.
    package struct Thread: Equatable, Sendable {
        /// Its name (`comm`, at most 15 bytes).
        package var name: String
        /// `voluntary_ctxt_switches` + `nonvoluntary_ctxt_switches`.
        package var switches: Int
    }

    /// Every live thread of process `pid` (`getpid()` for this one), by thread id.
    package static func of(_ pid: Int32) -> [String: Thread] {
        let tasks = "/proc/\(pid)/task"
        var threads: [String: Thread] = [:]
        for id in (try? FileManager.default.contentsOfDirectory(atPath: tasks)) ?? [] {
            guard let name = try? String(contentsOfFile: "\(tasks)/\(id)/comm", encoding: .utf8),
                let status = try? String(contentsOfFile: "\(tasks)/\(id)/status", encoding: .utf8)
            else { continue }  // the thread exited meanwhile
            let switches = status.split(separator: "\n")
                .filter { $0.hasPrefix("voluntary_ctxt_switches:") || $0.hasPrefix("nonvoluntary_ctxt_switches:") }
                .compactMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) }
                .reduce(0, +)
            threads[id] = Thread(name: name.trimmingCharacters(in: .whitespacesAndNewlines), switches: switches)
        }
        return threads
    }
}
