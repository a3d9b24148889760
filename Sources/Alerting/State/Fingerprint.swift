import Config

/// An alert's identity as Alertmanager computes it (`model.LabelSet.Fingerprint`): FNV-1a 64 over the label names
/// sorted bytewise, hashing name, 0xFF, value, 0xFF for each pair; printed as 16 lowercase hex digits.
package struct Fingerprint: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The 64-bit hash.
    package var value: UInt64

    /// The fingerprint of a label set.
    package init(labels: [String: String]) {
        var hash = FNV1a()
        let names = labels.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for name in names {
            hash.add(name)
            hash.add(0xFF)
            hash.add(labels[name]!)
            hash.add(0xFF)
        }
        self.value = hash.value
    }

    /// 16 lowercase hex digits, as Alertmanager prints it.
    package var description: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
