/// The synthetic users an entitlement probe spreads its runs over (`user_pool`), so the target's cache sees
/// more than one warm key. Each run asks for one user, drawn uniformly at random from the pool.
package struct UserPool: Sendable, Equatable {
    /// The prefix of the ids of a pool given by size: `slaprobe-pool-0` to `slaprobe-pool-<size - 1>`.
    package static let sizedPrefix = "slaprobe-pool-"
    /// The largest pool accepted by size.
    package static let maximumSize = 1_000_000

    /// Explicit ids, or empty for a pool given by size.
    private let ids: [String]
    /// Number of users in the pool (>= 1).
    package let count: Int

    /// The pool `slaprobe-pool-0` ... `slaprobe-pool-<size - 1>`.
    package init(size: Int) {
        precondition(size >= 1, "a user pool needs at least one user")
        ids = []
        count = size
    }

    /// The pool of these ids, in this order.
    package init(ids: [String]) {
        precondition(!ids.isEmpty, "a user pool needs at least one user")
        self.ids = ids
        count = ids.count
    }

    /// The `index`th user (0 ..< ``count``).
    package subscript(index: Int) -> String {
        ids.isEmpty ? Self.sizedPrefix + String(index) : ids[index]
    }

    /// One user drawn uniformly at random.
    package func randomUser() -> String {
        var generator = SystemRandomNumberGenerator()
        return user(using: &generator)
    }

    /// One user drawn uniformly with `generator`.
    package func user<G: RandomNumberGenerator>(using generator: inout G) -> String {
        self[Int.random(in: 0..<count, using: &generator)]
    }
}
