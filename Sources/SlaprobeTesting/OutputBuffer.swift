import Foundation
import Locking

/// Output collected from a child process's pipe.
package final class OutputBuffer: Sendable {
    private let storage = Locked((text: "", ended: false))
    package func append(_ data: Data) { storage.withLock { $0.text += String(decoding: data, as: UTF8.self) } }
    /// The pipe reached end of file: every process holding its write end has exited, and all output is in.
    package func end() { storage.withLock { $0.ended = true } }
    package var text: String { storage.withLock { $0.text } }
    package var ended: Bool { storage.withLock { $0.ended } }
}
