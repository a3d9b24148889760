/// Exact nearest-rank quantiles: for `n` sorted values the q-quantile is `x[ceil(q * n) - 1]`, q in (0, 1].
package enum NearestRank {
    /// Zero-based index of the q-quantile among `count` sorted values, `ceil(q * count) - 1` clamped to
    /// `0..<count`.
    ///
    /// `q * count` is snapped to the nearest integer when it is within 1e-9 relative of it, so that decimal
    /// quantiles such as 0.29 behave as the exact rational (0.29 * 100 is 28.999999999999996 in binary).
    package static func index(_ q: Double, count: Int) -> Int {
        precondition(count > 0, "NearestRank.index needs at least one value")
        let product = q * Double(count)
        let nearest = product.rounded()
        let rank = abs(product - nearest) <= 1e-9 * Swift.max(1, nearest) ? nearest : product.rounded(.up)
        guard rank.isFinite else { return q > 0 ? count - 1 : 0 }
        return Swift.min(Swift.max(Int(rank) - 1, 0), count - 1)
    }

    /// Returns the q-quantiles of `values` for each q in `quantiles` (same order), partially reordering
    /// `values` in place with quickselect (expected O(n) per quantile, no sort of the whole array).
    /// Returns an empty array when `values` is empty.
    package static func quantiles(of values: inout [UInt32], _ quantiles: [Double]) -> [UInt32] {
        guard !values.isEmpty else { return [] }
        let count = values.count
        let indices = quantiles.map { index($0, count: count) }
        // Select from the largest index down: after selecting k, everything before k is <= values[k], so the
        // next (smaller) index only needs to search 0...k.
        let order = indices.indices.sorted { indices[$0] > indices[$1] }
        var result = [UInt32](repeating: 0, count: indices.count)
        var upper = count - 1
        values.withUnsafeMutableBufferPointer { buffer in
            for position in order {
                let k = indices[position]
                select(buffer, k, low: 0, high: upper)
                result[position] = buffer[k]
                upper = k
            }
        }
        return result
    }

    /// Reorders `buffer[low...high]` so that `buffer[k]` holds the value it would have if that range were
    /// sorted, everything before it is `<=` and everything after it is `>=` (Hoare partition, median of
    /// three, falls back to sorting after too many unbalanced rounds).
    package static func select(_ buffer: UnsafeMutableBufferPointer<UInt32>, _ k: Int, low: Int, high: Int) {
        precondition(low <= k && k <= high && high < buffer.count, "select index out of range")
        var low = low
        var high = high
        var budget = 2 * (Int.bitWidth - (high - low + 1).leadingZeroBitCount) + 8
        while high > low {
            if high - low < 16 {
                // Insertion sort: the standard library's sort is generic and stable, several times slower here.
                for index in (low + 1)...high {
                    let value = buffer[index]
                    var position = index
                    while position > low, buffer[position - 1] > value {
                        buffer[position] = buffer[position - 1]
                        position -= 1
                    }
                    buffer[position] = value
                }
                return
            }
            if budget == 0 {
                var range = UnsafeMutableBufferPointer(rebasing: buffer[low...high])
                range.sort()
                return
            }
            budget -= 1
            let middle = low + (high - low) / 2
            if buffer[middle] < buffer[low] { buffer.swapAt(middle, low) }
            if buffer[high] < buffer[low] { buffer.swapAt(high, low) }
            if buffer[high] < buffer[middle] { buffer.swapAt(high, middle) }
            let pivot = buffer[middle]
            var i = low
            var j = high
            while i <= j {
                while buffer[i] < pivot { i += 1 }
                while buffer[j] > pivot { j -= 1 }
                if i <= j {
                    buffer.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            // Now low...j <= pivot, i...high >= pivot and everything strictly between j and i equals pivot.
            if k <= j {
                high = j
            } else if k >= i {
                low = i
            } else {
                return
            }
        }
    }
}
