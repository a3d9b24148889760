/// Streaming writer for the Prometheus text format 0.0.4 and OpenMetrics 1.0.0.
///
/// Writes UTF-8 bytes straight into one pre-sized byte buffer: each line is written with a single
/// bounds-checked reservation and raw pointer copies, label sets come pre-rendered (``LabelSet``), values
/// are formatted without Foundation, and histogram `le` values are rendered once per distinct bucket layout
/// and reused. Usage:
///
/// ```swift
/// var writer = ExpositionWriter(format: .negotiate(accept: request.accept))
/// writer.family("slaprobe_probe_requests", type: .counter, help: "Probe requests sent.")
/// writer.counter("slaprobe_probe_requests", labels, 42)
/// let body = writer.finish()
/// ```
///
/// Call ``family(_:type:help:unit:)`` once before the samples of each family, and write all samples of a
/// family together (both formats require a family's samples to be contiguous).
package struct ExpositionWriter: Sendable {
    /// The format being written.
    package let format: ExpositionFormat
    /// Zero-filled buffer; `storage.count` is the capacity and `length` the number of bytes written.
    private var storage: [UInt8]
    private var length = 0

    private var cachedBounds: [Double] = []
    /// `le="..."` for each of `cachedBounds`, then for `+Inf`, back to back; `cachedLeEnds[i]` is where the
    /// i-th ends. One flat buffer: an array per bound cost a retain and release per bucket line.
    private var cachedLe: [UInt8] = []
    private var cachedLeEnds: [Int] = []
    private var cachedLeMaxLength = 0

    /// Creates a writer; `capacity` bytes are reserved up front (about 85 bytes per series is typical) and
    /// the buffer doubles when full.
    package init(format: ExpositionFormat, capacity: Int = 64 * 1024) {
        self.format = format
        storage = Self.uninitializedBuffer(count: Swift.max(capacity, 256))
    }

    /// A buffer of `count` bytes whose contents are left as the allocator returned them: bytes are only ever
    /// read back below `length`, after being written, and zero-filling a page of a thousand probes (12 MB)
    /// cost more than writing it.
    private static func uninitializedBuffer(count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { _, initializedCount in initializedCount = count }
    }

    /// Number of bytes written so far.
    package var count: Int { length }

    /// A copy of the bytes written so far.
    package var bytes: [UInt8] { Array(storage[0..<length]) }

    /// Starts a family: writes `# HELP` and `# TYPE` (and `# UNIT` in OpenMetrics when `unit` is given).
    ///
    /// `name` is the family name. For counters pass it without `_total`: the text format writes HELP and TYPE
    /// for `name_total` (as the Prometheus client libraries do), OpenMetrics writes them for `name`; the
    /// samples are `name_total` in both. In OpenMetrics a family with a unit must end with `_<unit>`, for
    /// example `slaprobe_probe_duration_seconds` with unit `seconds`. The unit is not written in the text
    /// format. HELP escapes backslash and newline (and, in OpenMetrics, double quote).
    package mutating func family(_ name: String, type: MetricType, help: String, unit: String? = nil) {
        assert(!(type == .counter && name.hasSuffix("_total")), "pass counter family names without _total")
        assert(unit.map { name.hasSuffix("_" + $0) } ?? true, "family \(name) must end with its unit")
        let total = type == .counter && format == .text ? "_total" : ""
        let keyword = type.keyword(for: format)
        let unitLine = format == .openMetrics ? unit : nil
        let escapeQuotes = format == .openMetrics
        let bound = 3 * name.utf8.count + 2 * help.utf8.count + (unit?.utf8.count ?? 0) + 64
        write(maxBytes: bound) { cursor in
            cursor.string("# HELP ")
            cursor.string(name)
            cursor.string(total)
            cursor.byte(UInt8(ascii: " "))
            cursor.help(help, escapeQuotes: escapeQuotes)
            cursor.string("\n# TYPE ")
            cursor.string(name)
            cursor.string(total)
            cursor.byte(UInt8(ascii: " "))
            cursor.string(keyword)
            cursor.byte(UInt8(ascii: "\n"))
            if let unitLine {
                cursor.string("# UNIT ")
                cursor.string(name)
                cursor.byte(UInt8(ascii: " "))
                cursor.string(unitLine)
                cursor.byte(UInt8(ascii: "\n"))
            }
        }
    }

    /// Writes a counter sample `name_total{labels} value` (`name` without `_total`).
    package mutating func counter(_ name: String, _ labels: LabelSet, _ value: Double) {
        sample(name, "_total", labels, value)
    }

    /// Writes a counter sample from an integer count, without going through `Double`.
    package mutating func counter(_ name: String, _ labels: LabelSet, count value: UInt64) {
        write(maxBytes: name.utf8.count + labels.bytes.count + 48) { cursor in
            cursor.sampleStart(name, "_total", labels)
            cursor.integer(value)
            cursor.byte(UInt8(ascii: "\n"))
        }
    }

    /// Writes a gauge sample `name{labels} value`.
    package mutating func gauge(_ name: String, _ labels: LabelSet, _ value: Double) {
        sample(name, "", labels, value)
    }

    /// Writes one quantile of a ``MetricType/summary`` family, `name{labels,quantile="q"} value`; the caller's
    /// `labels` must already carry the `quantile` label.
    package mutating func quantile(_ name: String, _ labels: LabelSet, _ value: Double) {
        sample(name, "", labels, value)
    }

    /// Writes a sample of an ``MetricType/unknown`` family, `name{labels} value`.
    package mutating func untyped(_ name: String, _ labels: LabelSet, _ value: Double) {
        sample(name, "", labels, value)
    }

    /// Writes a cumulative histogram: one `name_bucket{labels,le="..."}` line per upper bound, then
    /// `le="+Inf"` with `count`, then `name_sum` and `name_count`.
    ///
    /// - Parameters:
    ///   - upperBounds: Finite bucket upper bounds, ascending, without `+Inf`. Pass the same array on every
    ///     call to let the writer reuse the rendered `le` values.
    ///   - cumulativeCounts: Cumulative count per upper bound (`cumulativeCounts.count == upperBounds.count`).
    ///   - exemplars: Empty, or one optional exemplar per bucket, `+Inf` last (`upperBounds.count + 1`), written
    ///     after the bucket lines in OpenMetrics only.
    package mutating func histogram(
        _ name: String,
        _ labels: LabelSet,
        upperBounds: [Double],
        cumulativeCounts: [UInt64],
        sum: Double,
        count: UInt64,
        exemplars: [BucketExemplar?] = []
    ) {
        precondition(cumulativeCounts.count == upperBounds.count, "one cumulative count per upper bound")
        precondition(exemplars.isEmpty || exemplars.count == upperBounds.count + 1, "one exemplar slot per bucket")
        if cachedLeEnds.isEmpty || upperBounds != cachedBounds { renderBounds(upperBounds) }
        let le = cachedLe
        let leEnds = cachedLeEnds
        let exemplars = format == .openMetrics ? exemplars : []
        // ` # {trace_id="` 32 hex `"} ` value ` ` timestamp: 51 bytes and two numbers of at most 25.
        let exemplarBound = exemplars.isEmpty ? 0 : 104
        let lineBound = name.utf8.count + labels.bytes.count + cachedLeMaxLength + 48 + exemplarBound
        write(maxBytes: (upperBounds.count + 3) * lineBound) { cursor in
            le.withUnsafeBufferPointer { le in
                leEnds.withUnsafeBufferPointer { leEnds in
                    cumulativeCounts.withUnsafeBufferPointer { counts in
                        // Every bucket line starts with the same `name_bucket{labels,`: written once, then copied
                        // from the first line, which is one memcpy per line instead of three writes.
                        let prefix = cursor.pointer
                        cursor.string(name)
                        cursor.string("_bucket{")
                        if !labels.isEmpty {
                            cursor.bytes(labels.bytes)
                            cursor.byte(UInt8(ascii: ","))
                        }
                        let prefixLength = cursor.pointer - prefix
                        var leStart = 0
                        for index in 0...counts.count {
                            if index > 0 { cursor.bytes(UnsafeBufferPointer(start: prefix, count: prefixLength)) }
                            let leEnd = leEnds[index]
                            cursor.bytes(UnsafeBufferPointer(rebasing: le[leStart..<leEnd]))
                            leStart = leEnd
                            cursor.byte(UInt8(ascii: "}"))
                            cursor.byte(UInt8(ascii: " "))
                            cursor.integer(index < counts.count ? counts[index] : count)
                            if !exemplars.isEmpty, let exemplar = exemplars[index] { cursor.exemplar(exemplar) }
                            cursor.byte(UInt8(ascii: "\n"))
                        }
                    }
                }
            }
            cursor.sampleStart(name, "_sum", labels)
            cursor.double(sum)
            cursor.byte(UInt8(ascii: "\n"))
            cursor.sampleStart(name, "_count", labels)
            cursor.integer(count)
            cursor.byte(UInt8(ascii: "\n"))
        }
    }

    /// Returns the bytes written so far and empties the writer, keeping its buffer and the `le` values it has
    /// rendered: for writing a page a piece at a time. ``finish()`` gives the last piece.
    package mutating func drain() -> [UInt8] {
        let written = Array(storage[0..<length])
        length = 0
        return written
    }

    /// Returns the exposition, ending with `# EOF` in OpenMetrics, and leaves the writer empty.
    package mutating func finish() -> [UInt8] {
        if format == .openMetrics { write(maxBytes: 8) { $0.string("# EOF\n") } }
        var result: [UInt8] = []
        swap(&result, &storage)
        result.removeSubrange(length...)
        length = 0
        return result
    }

    /// Formats `value` as the writer does for sample values: integral values up to 2^53 without a fraction
    /// (`5`), `NaN`, `+Inf`, `-Inf`, otherwise the shortest representation that round-trips (`0.25`,
    /// `0.30000000000000004`, `1e-05`, as Swift's `description`).
    package static func format(_ value: Double) -> String {
        var writer = ExpositionWriter(format: .text, capacity: 64)
        writer.write(maxBytes: 32) { $0.double(value) }
        return String(decoding: writer.storage[0..<writer.length], as: UTF8.self)
    }

    // MARK: - Private

    @inline(__always)
    private mutating func sample(_ name: String, _ suffix: StaticString, _ labels: LabelSet, _ value: Double) {
        write(maxBytes: name.utf8.count + labels.bytes.count + 48) { cursor in
            cursor.sampleStart(name, suffix, labels)
            cursor.double(value)
            cursor.byte(UInt8(ascii: "\n"))
        }
    }

    /// Makes room for `maxBytes` more bytes, then lets `body` write at most that many through a cursor.
    @inline(__always)
    private mutating func write(maxBytes: Int, _ body: (inout Cursor) -> Void) {
        if length + maxBytes > storage.count { grow(to: length + maxBytes) }
        let start = length
        length = storage.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            var cursor = Cursor(pointer: base + start)
            body(&cursor)
            let end = cursor.pointer - base
            precondition(end <= buffer.count, "ExpositionWriter line bound exceeded")
            return end
        }
    }

    private mutating func grow(to needed: Int) {
        let newCount = Swift.max(needed, storage.count * 2)
        var larger = Self.uninitializedBuffer(count: newCount)
        let written = length
        larger.withUnsafeMutableBufferPointer { target in
            storage.withUnsafeBufferPointer { source in
                target.baseAddress!.update(from: source.baseAddress!, count: written)
            }
        }
        storage = larger
    }

    /// Renders `le="..."` for each bound and `+Inf`. Text uses the sample value format (`1`, `0.25`);
    /// OpenMetrics uses canonical floats (`1.0`, `0.25`, `+Inf`).
    private mutating func renderBounds(_ upperBounds: [Double]) {
        cachedBounds = upperBounds
        cachedLe = []
        cachedLeEnds = []
        cachedLeMaxLength = 0
        for bound in upperBounds + [.infinity] {
            let text: String
            if bound == .infinity {
                text = "+Inf"
            } else if format == .openMetrics {
                text = bound.isNaN ? "NaN" : bound == -.infinity ? "-Inf" : bound.description
            } else {
                text = Self.format(bound)
            }
            let rendered = Array(#"le=""#.utf8) + Array(text.utf8) + [UInt8(ascii: "\"")]
            cachedLe += rendered
            cachedLeEnds.append(cachedLe.count)
            cachedLeMaxLength = Swift.max(cachedLeMaxLength, rendered.count)
        }
    }
}
