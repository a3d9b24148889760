/// A min-heap of payloads keyed by their due time (``MonotonicTime`` nanoseconds); ties keep insertion order.
///
/// ``TransferLoop`` keeps its timed actions in one, and the probe schedule keeps its probes' next ticks in another.
package struct TimerQueue<Payload> {
    /// One queued payload and when it is due.
    package struct Entry {
        package var due: UInt64
        var sequence: UInt64
        package var payload: Payload
    }

    private var entries: [Entry] = []
    private var nextSequence: UInt64 = 0

    /// Creates an empty queue.
    package init() {}

    package var isEmpty: Bool { entries.isEmpty }
    package var count: Int { entries.count }
    /// The earliest due time queued.
    package var nextDue: UInt64? { entries.first?.due }

    /// Queues `payload` at `due`.
    package mutating func insert(due: UInt64, _ payload: Payload) {
        entries.append(Entry(due: due, sequence: nextSequence, payload: payload))
        nextSequence &+= 1
        siftUp(entries.count - 1)
    }

    /// Removes and returns the earliest entry if it is due at `now`.
    package mutating func popDue(now: UInt64) -> Entry? {
        guard let first = entries.first, first.due <= now else { return nil }
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            siftDown(0)
        }
        return first
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        entries[a].due != entries[b].due ? entries[a].due < entries[b].due : entries[a].sequence < entries[b].sequence
    }

    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(child, parent) else { return }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < entries.count && less(left, smallest) { smallest = left }
            if right < entries.count && less(right, smallest) { smallest = right }
            guard smallest != parent else { return }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
    }
}

extension TimerQueue: Sendable where Payload: Sendable {}
extension TimerQueue.Entry: Sendable where Payload: Sendable {}
