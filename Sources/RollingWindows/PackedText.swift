import Exposition

/// An identifier kept without a heap object when it has one of the shapes slaprobe generates: a canonical UUID
/// or a text of at most 16 bytes (``CompactText``), or 32 lowercase hex digits (a W3C trace id, as
/// `TraceID`). Anything else stays a `String`. ``text`` gives back exactly the text it was made from.
///
/// A probe keeps request and trace IDs for its evidence and its latest results; as `String`s each was a heap
/// object of some 80 bytes.
enum PackedText: Sendable {
    case compact(CompactText)
    case traceID(TraceID)
    case text(String)

    init(_ text: String) {
        if let compact = CompactText(text) {
            self = .compact(compact)
        } else if text.utf8.count == 32, let trace = TraceID(text), trace.hex == text {
            self = .traceID(trace)
        } else {
            self = .text(text)
        }
    }

    /// The text this was made from.
    var text: String {
        switch self {
        case .compact(let compact): compact.text
        case .traceID(let trace): trace.hex
        case .text(let text): text
        }
    }
}
