import Exposition
import HTTPServer
import Locking

/// `/metrics` written while the scraper reads it: a part of the page at a time into a buffer of about
/// ``chunkBytes``, handed out as the server asks for more.
///
/// A thousand probes make a page of some 11 MB. Written whole, it was that much more memory for every scrape, the
/// kernel faulting in and zeroing a fresh 11 MB buffer each time. Written in parts, a scrape holds the
/// snapshots and one chunk. The bytes are those ``MetricsPage/render(_:lag:service:format:extra:)`` writes, sent
/// with chunked transfer encoding.
package final class MetricsStream: ResponseStream {
    /// Bytes written before a chunk is handed out.
    static let chunkBytes = 64 * 1024

    private struct State {
        var parts: [PagePart]
        var writer: ExpositionWriter
        /// The part being written, and the next of its rows; `nil` while its head is still to be written.
        var part = 0
        var row: Int? = nil
        var finished = false
        var chunk: [UInt8] = []
        var sent = 0
    }

    // The parts hold closures and rows that are only read while writing, under this lock.
    private let state: Locked<State>

    init(parts: [PagePart], format: ExpositionFormat) {
        state = Locked(State(parts: parts, writer: ExpositionWriter(format: format, capacity: Self.chunkBytes * 2)))
    }

    /// Bytes the stream holds now: the chunk being handed out and what the writer has begun of the next.
    var heldBytes: Int { state.withLock { $0.chunk.count + $0.writer.count } }

    package func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        state.withLock { state in
            while state.sent == state.chunk.count {
                guard !state.finished else { return 0 }
                Self.writeChunk(&state)
            }
            let count = min(buffer.count, state.chunk.count - state.sent)
            state.chunk.withUnsafeBytes { chunk in
                buffer.baseAddress!.copyMemory(from: chunk.baseAddress! + state.sent, byteCount: count)
            }
            state.sent += count
            return count
        }
    }

    /// Writes parts and rows until the writer holds a chunk, or the page is complete.
    private static func writeChunk(_ state: inout State) {
        while state.writer.count < chunkBytes, state.part < state.parts.count {
            let part = state.parts[state.part]
            guard let row = state.row else {
                part.head(&state.writer)
                state.row = 0
                continue
            }
            if row < part.rows.count {
                part.row(&state.writer, part.rows[row])
                state.row = row + 1
            } else {
                state.part += 1
                state.row = nil
            }
        }
        if state.part == state.parts.count {
            state.chunk = state.writer.finish()
            state.finished = true
            state.parts = []
        } else {
            state.chunk = state.writer.drain()
        }
        state.sent = 0
    }
}
