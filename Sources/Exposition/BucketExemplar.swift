/// The latest observation that fell in one histogram bucket, written after that bucket's line in OpenMetrics
/// as ` # {trace_id="<32 hex>"} <value> <timestamp>` (the text format 0.0.4 has no exemplars).
///
/// 32 bytes and no heap object: a histogram keeps one per bucket.
package struct BucketExemplar: Sendable, Equatable {
    /// The trace id of the run observed.
    package var traceID: TraceID
    /// The observed value, seconds.
    package var value: Double
    /// When it was observed, Unix seconds (milliseconds resolution).
    package var timestamp: Double

    /// Creates an exemplar; `timestamp` is rounded to the millisecond, so it prints short.
    package init(traceID: TraceID, value: Double, timestamp: Double) {
        self.traceID = traceID
        self.value = value
        self.timestamp = (timestamp * 1000).rounded() / 1000
    }
}
