extension ExpositionWriter {
    /// Raw write position inside the writer's storage, valid only inside `ExpositionWriter.write(maxBytes:_:)`,
    /// which has already reserved room for everything written through it.
    struct Cursor {
        var pointer: UnsafeMutablePointer<UInt8>

        private static let powersOfTen: [Double] = [1, 10, 100, 1000, 10000, 100_000, 1_000_000]

        @inline(__always)
        mutating func byte(_ byte: UInt8) {
            pointer.pointee = byte
            pointer += 1
        }

        @inline(__always)
        mutating func bytes(_ source: UnsafeBufferPointer<UInt8>) {
            guard let base = source.baseAddress else { return }
            pointer.update(from: base, count: source.count)
            pointer += source.count
        }

        @inline(__always)
        mutating func bytes(_ source: [UInt8]) {
            source.withUnsafeBufferPointer { bytes($0) }
        }

        @inline(__always)
        mutating func string(_ text: String) {
            let done: Void? = text.utf8.withContiguousStorageIfAvailable { bytes($0) }
            if done == nil {
                for character in text.utf8 { byte(character) }
            }
        }

        @inline(__always)
        mutating func staticString(_ text: StaticString) {
            bytes(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }

        /// Writes `name` `suffix` `{labels}` and the space before the value: the start of every sample line.
        @inline(__always)
        mutating func sampleStart(_ name: String, _ suffix: StaticString, _ labels: LabelSet) {
            string(name)
            staticString(suffix)
            self.labels(labels)
            byte(UInt8(ascii: " "))
        }

        @inline(__always)
        mutating func labels(_ labels: LabelSet) {
            if !labels.isEmpty {
                byte(UInt8(ascii: "{"))
                bytes(labels.bytes)
                byte(UInt8(ascii: "}"))
            }
        }

        /// Writes ` # {trace_id="..."} value timestamp`, the OpenMetrics exemplar of a bucket line: at most 104 bytes.
        mutating func exemplar(_ exemplar: BucketExemplar) {
            staticString(" # {trace_id=\"")
            TraceID.write(exemplar.traceID, into: pointer)
            pointer += 32
            staticString("\"} ")
            double(exemplar.value)
            byte(UInt8(ascii: " "))
            double(exemplar.timestamp)
        }

        mutating func help(_ help: String, escapeQuotes: Bool) {
            for character in help.utf8 {
                switch character {
                case UInt8(ascii: "\\"):
                    byte(UInt8(ascii: "\\"))
                    byte(UInt8(ascii: "\\"))
                case UInt8(ascii: "\n"):
                    byte(UInt8(ascii: "\\"))
                    byte(UInt8(ascii: "n"))
                case UInt8(ascii: "\"") where escapeQuotes:
                    byte(UInt8(ascii: "\\"))
                    byte(UInt8(ascii: "\""))
                default:
                    byte(character)
                }
            }
        }

        mutating func integer(_ value: UInt64) {
            var digits = 1
            var rest = value
            while rest >= 10 {
                rest /= 10
                digits += 1
            }
            var position = pointer + digits
            rest = value
            repeat {
                position -= 1
                position.pointee = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0
            pointer += digits
        }

        /// Writes at most 25 bytes; callers reserve 32.
        mutating func double(_ value: Double) {
            if value.isNaN {
                staticString("NaN")
                return
            }
            if value.isInfinite {
                staticString(value > 0 ? "+Inf" : "-Inf")
                return
            }
            let magnitude = value.magnitude
            if magnitude <= 9_007_199_254_740_992, magnitude == magnitude.rounded(.towardZero) {
                if value < 0 { byte(UInt8(ascii: "-")) }
                integer(UInt64(magnitude))
                return
            }
            // Fast path for values with at most 6 decimals (all microsecond-resolution latencies): the fewest
            // decimals k for which m / 10^k, m = round(x * 10^k) < 2^53, converts back to exactly x. Both the
            // division and decimal parsing are correctly rounded, so the text round-trips; values Swift would
            // print with an exponent (below 1e-4) take the slow path.
            if magnitude >= 1e-4 {
                for decimals in 1...6 {
                    let scale = Self.powersOfTen[decimals]
                    let scaled = (magnitude * scale).rounded()
                    if scaled >= 9_007_199_254_740_992 { break }
                    if scaled / scale == magnitude {
                        let whole = UInt64(scaled)
                        let divisor = UInt64(scale)
                        if value < 0 { byte(UInt8(ascii: "-")) }
                        integer(whole / divisor)
                        byte(UInt8(ascii: "."))
                        var fraction = whole % divisor
                        var position = pointer + decimals
                        for _ in 0..<decimals {
                            position -= 1
                            position.pointee = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: fraction % 10)
                            fraction /= 10
                        }
                        pointer += decimals
                        return
                    }
                }
            }
            // Swift's shortest round-trip formatting: ratios and sums of latencies take this path. At most 24 bytes
            // ("-2.2250738585072014e-308"); up to 15 of them stay in a small string without an allocation.
            string(value.description)
        }
    }
}
