/// The 64-bit FNV-1a hash: stable across processes, machines and versions, so every replica that hashes a probe
/// name (its shard, its schedule phase) or a label set (an alert fingerprint, as Alertmanager
/// computes it) gets the same number.
package struct FNV1a: Sendable {
    /// The hash of everything added so far.
    package private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    /// An empty hash (the FNV offset basis).
    package init() {}

    /// The hash of `text`'s UTF-8 bytes.
    package static func hash(_ text: String) -> UInt64 {
        var hash = FNV1a()
        hash.add(text)
        return hash.value
    }

    /// Adds one byte.
    package mutating func add(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }

    /// Adds `text`'s UTF-8 bytes.
    package mutating func add(_ text: String) {
        for byte in text.utf8 { add(byte) }
    }
}
