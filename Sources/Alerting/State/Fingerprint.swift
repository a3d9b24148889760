/// An alert's identity as Alertmanager computes it (`model.LabelSet.Fingerprint`): FNV-1a 64 over the label names
/// sorted bytewise, hashing name, 0xFF, value, 0xFF for each pair; printed as 16 lowercase hex digits.
package struct Fingerprint: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The 64-bit hash.
    package var value: UInt64

    /// The fingerprint of a label set.
    package init(labels: [String: String]) {
        let offset: UInt64 = 14_695_981_039_346_656_037
        let prime: UInt64 = 1_099_511_628_211
        var hash = offset
        func add(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash &*= prime
        }
        let names = labels.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for name in names {
            for byte in name.utf8 { add(byte) }
            add(0xFF)
            for byte in labels[name]!.utf8 { add(byte) }
            add(0xFF)
        }
        self.value = hash
    }

    /// 16 lowercase hex digits, as Alertmanager prints it.
    package var description: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
