import Foundation
import Locking

/// Output collected from a child process's pipe.
package final class OutputBuffer: Sendable {
    private let storage = Locked("")
    package func append(_ data: Data) { storage.withLock { $0 += String(decoding: data, as: UTF8.self) } }
    package var text: String { storage.withLock { $0 } }
}
