import Locking

/// A clock the test moves by hand, for the simulator's grant processing delays.
final class ManualClock: Sendable {
    private let seconds = Locked(1000.0)

    var now: Double { seconds.withLock { $0 } }

    func advance(_ delta: Double) {
        seconds.withLock { $0 += delta }
    }

    var function: @Sendable () -> Double {
        { [self] in now }
    }
}
