/// The identity headers of the latest requests the simulated API received, oldest first out: what
/// `GET /admin/requests` shows, so a test can check that an id slaprobe reports is one the target saw.
package struct ReceivedRequests: Sendable {
    /// One received request.
    package struct Entry: Sendable, Equatable {
        /// `entitlement`, `checkout` or `webhook`.
        package var endpoint: String
        /// Its `X-Request-ID`, or empty.
        package var requestID: String
        /// Its `traceparent`, or empty.
        package var traceparent: String
    }

    /// Requests kept.
    package static let capacity = 1000

    private var ring: [Entry] = []
    private var next = 0

    /// Creates an empty list.
    package init() {}

    /// Remembers a request, forgetting the oldest past ``capacity``.
    package mutating func append(_ entry: Entry) {
        if ring.count < Self.capacity {
            ring.append(entry)
        } else {
            ring[next] = entry
            next = (next + 1) % Self.capacity
        }
    }

    /// The requests kept, oldest first.
    package var entries: [Entry] { Array(ring[next...] + ring[..<next]) }
}
