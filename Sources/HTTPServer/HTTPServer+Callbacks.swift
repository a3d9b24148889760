import CMicroHTTPD
import CThreads

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// What libmicrohttpd calls back into: the per-server context, the per-request state and the C callbacks that
// turn libmicrohttpd's calls into a ServerRequest and a ServerResponse back.

/// Shared, immutable state the C callbacks reach through `cls`.
final class ServerContext: Sendable {
    let handler: @Sendable (ServerRequest) -> ServerResponse
    let maxRequestBodyBytes: Int
    let handlerNice: Int32

    init(
        handler: @escaping @Sendable (ServerRequest) -> ServerResponse,
        maxRequestBodyBytes: Int,
        handlerNice: Int32
    ) {
        self.handler = handler
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.handlerNice = handlerNice
    }
}

/// Per-request state kept behind `*con_cls` from the first access-handler call until the completion
/// notification. libmicrohttpd calls back for one connection on one thread at a time, so it is never
/// accessed concurrently and needs no lock (and is never handed to Swift concurrency).
private final class RequestState {
    var request: ServerRequest
    var tooLarge = false
    var responded = false
    /// Bytes received beyond the limit (discarded); past a generous cap the connection is dropped.
    var discarded = 0

    init(request: ServerRequest) {
        self.request = request
    }
}

/// Upload bytes we keep reading (and discarding) after the limit before just closing the connection.
private let discardCap = 16 << 20

/// The `cls` of a `.repeated` body's content reader.
private final class RepeatedBody {
    let byte: UInt8
    let count: UInt64

    init(byte: UInt8, count: UInt64) {
        self.byte = byte
        self.count = count
    }
}

// MARK: - C callbacks (non-capturing)

let accessCallback: MHD_AccessHandlerCallback = {
    cls,
    connection,
    url,
    method,
    _,
    uploadData,
    uploadDataSize,
    conCls in
    guard let cls, let connection, let uploadDataSize, let conCls else { return MHD_Result.NO }
    let server = Unmanaged<ServerContext>.fromOpaque(cls).takeUnretainedValue()

    guard let pointer = conCls.pointee else {
        // First call: headers are complete, no body yet. libmicrohttpd starts its threads itself, so each lowers
        // its priority on its first request.
        _ = slaprobe_lower_thread_priority_once(server.handlerNice)
        let state = RequestState(request: collectRequest(connection: connection, url: url, method: method))
        conCls.pointee = Unmanaged.passRetained(state).toOpaque()
        if !RequestPath.isAcceptable(state.request.path) {
            state.responded = true
            return queue(RequestPath.refusal, on: connection)
        }
        if let declared = state.request.headers["content-length"], let length = Int(declared),
            length > server.maxRequestBodyBytes
        {
            // Answer before the body is read (also skips "100 Continue").
            state.tooLarge = true
            state.responded = true
            return queue(payloadTooLarge(server.maxRequestBodyBytes), on: connection)
        }
        return MHD_Result.YES
    }
    let state = Unmanaged<RequestState>.fromOpaque(pointer).takeUnretainedValue()

    let size = uploadDataSize.pointee
    if size > 0 {
        uploadDataSize.pointee = 0
        if state.responded { return MHD_Result.YES }
        if state.tooLarge || state.request.body.count + size > server.maxRequestBodyBytes {
            state.tooLarge = true
            state.request.body = []
            state.discarded += size
            return state.discarded > discardCap ? MHD_Result.NO : MHD_Result.YES
        }
        if let uploadData {
            uploadData.withMemoryRebound(to: UInt8.self, capacity: size) {
                state.request.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: size))
            }
        }
        return MHD_Result.YES
    }

    // Final call: the whole request has arrived.
    if state.responded { return MHD_Result.YES }
    state.responded = true
    if state.tooLarge {
        return queue(payloadTooLarge(server.maxRequestBodyBytes), on: connection)
    }
    let request = state.request
    state.request.body = []
    return queue(server.handler(request), on: connection)
}

let completedCallback: MHD_RequestCompletedCallback = { _, _, conCls, _ in
    guard let conCls, let pointer = conCls.pointee else { return }
    Unmanaged<RequestState>.fromOpaque(pointer).release()
    conCls.pointee = nil
}

private let headerIterator: MHD_KeyValueIterator = { cls, kind, key, value in
    guard let cls, let key else { return MHD_Result.YES }
    let fields = cls.assumingMemoryBound(to: CollectedFields.self)
    let name = String(cString: key)
    let text = value.map { String(cString: $0) } ?? ""
    if kind == .HEADER_KIND {
        let lowered = name.lowercased()
        if let existing = fields.pointee.headers[lowered] {
            fields.pointee.headers[lowered] = existing + ", " + text
        } else {
            fields.pointee.headers[lowered] = text
        }
    } else if kind == .GET_ARGUMENT_KIND {
        fields.pointee.query[name] = text
        fields.pointee.queryItems.append((name, text))
    }
    return MHD_Result.YES
}

private let repeatedReader: MHD_ContentReaderCallback = { cls, position, buffer, max in
    guard let cls, let buffer else { return -2 }  // MHD_CONTENT_READER_END_WITH_ERROR
    let body = Unmanaged<RepeatedBody>.fromOpaque(cls).takeUnretainedValue()
    guard position < body.count else { return -1 }  // MHD_CONTENT_READER_END_OF_STREAM
    let n = Int(min(UInt64(max), body.count - position))
    memset(buffer, Int32(body.byte), n)
    return n
}

private let repeatedFree: MHD_ContentReaderFreeCallback = { cls in
    guard let cls else { return }
    Unmanaged<RepeatedBody>.fromOpaque(cls).release()
}

/// Holds a ``ResponseStream`` until libmicrohttpd calls ``streamFree``.
private final class StreamBody {
    let stream: any ResponseStream

    init(_ stream: any ResponseStream) {
        self.stream = stream
    }
}

private let streamReader: MHD_ContentReaderCallback = { cls, _, buffer, max in
    guard let cls, let buffer, max > 0 else { return -2 }  // MHD_CONTENT_READER_END_WITH_ERROR
    let body = Unmanaged<StreamBody>.fromOpaque(cls).takeUnretainedValue()
    let written = body.stream.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: max))
    return written > 0 ? written : -1  // MHD_CONTENT_READER_END_OF_STREAM
}

private let streamFree: MHD_ContentReaderFreeCallback = { cls in
    guard let cls else { return }
    Unmanaged<StreamBody>.fromOpaque(cls).release()
}

/// Bodies at least this large are lent to libmicrohttpd instead of copied.
private let lentBodyMinimum = 16 * 1024

/// A response body lent to libmicrohttpd: holds the bytes, and so the address `base` points at, until MHD calls
/// ``lentBodyFree``.
private final class LentBody {
    let bytes: [UInt8]
    let base: UnsafeRawPointer

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        // An array's storage does not move while the array is alive and not mutated, and `bytes` is a `let`.
        base = bytes.withUnsafeBytes { $0.baseAddress! }
    }
}

private let lentBodyFree: MHD_ContentReaderFreeCallback = { cls in
    guard let cls else { return }
    Unmanaged<LentBody>.fromOpaque(cls).release()
}

// MARK: - Helpers

private struct CollectedFields {
    var headers: [String: String] = [:]
    var query: [String: String] = [:]
    var queryItems: [(name: String, value: String)] = []
}

private func collectRequest(
    connection: OpaquePointer,
    url: UnsafePointer<CChar>?,
    method: UnsafePointer<CChar>?
) -> ServerRequest {
    var fields = CollectedFields()
    withUnsafeMutablePointer(to: &fields) { pointer in
        _ = MHD_get_connection_values(connection, .HEADER_KIND, headerIterator, pointer)
        _ = MHD_get_connection_values(connection, .GET_ARGUMENT_KIND, headerIterator, pointer)
    }
    var request = ServerRequest(
        method: method.map { String(cString: $0) } ?? "",
        path: url.map { String(cString: $0) } ?? "/"
    )
    request.headers = fields.headers
    request.query = fields.query
    request.queryItems = fields.queryItems
    if let address = slaprobe_mhd_client_address(connection) {
        request.remoteAddress = numericHost(address)
    }
    return request
}

private func payloadTooLarge(_ limit: Int) -> ServerResponse {
    .text("request body too large (limit \(limit) bytes)\n", status: 413)
}

/// Blocks of this size are requested from `.repeated` readers.
private let streamBlockSize = 64 * 1024

private func queue(_ response: ServerResponse, on connection: OpaquePointer) -> MHD_Result {
    guard let mhdResponse = makeResponse(response) else { return MHD_Result.NO }
    defer { MHD_destroy_response(mhdResponse) }
    let status = (100...999).contains(response.status) ? UInt32(response.status) : 500
    return MHD_queue_response(connection, status, mhdResponse)
}

private func makeResponse(_ response: ServerResponse) -> OpaquePointer? {
    let mhdResponse: OpaquePointer?
    switch response.body {
    case .repeated(let byte, let count) where count > 0:
        let cls = Unmanaged.passRetained(RepeatedBody(byte: byte, count: UInt64(count))).toOpaque()
        mhdResponse = MHD_create_response_from_callback(
            UInt64(count),
            streamBlockSize,
            repeatedReader,
            cls,
            repeatedFree
        )
        if mhdResponse == nil { Unmanaged<RepeatedBody>.fromOpaque(cls).release() }
    case .repeated:
        mhdResponse = MHD_create_response_from_buffer(0, nil, .RESPMEM_PERSISTENT)
    case .stream(let stream):
        let cls = Unmanaged.passRetained(StreamBody(stream)).toOpaque()
        // MHD_SIZE_UNKNOWN (a macro Swift does not import): sent chunked, or until the connection closes for
        // an HTTP/1.0 client.
        mhdResponse = MHD_create_response_from_callback(UInt64.max, streamBlockSize, streamReader, cls, streamFree)
        if mhdResponse == nil { Unmanaged<StreamBody>.fromOpaque(cls).release() }
    case .bytes(let bytes) where bytes.count >= lentBodyMinimum:
        // Lent, not copied: the page of a thousand probes is 13 MB, and copying it cost as much as a fifth of
        // rendering it. The box keeps the (immutable) array, and so its storage, alive until MHD is done.
        let body = LentBody(bytes)
        let cls = Unmanaged.passRetained(body).toOpaque()
        mhdResponse = MHD_create_response_from_buffer_with_free_callback_cls(
            bytes.count,
            UnsafeMutableRawPointer(mutating: body.base),
            lentBodyFree,
            cls
        )
        if mhdResponse == nil { Unmanaged<LentBody>.fromOpaque(cls).release() }
    case .bytes(let bytes):
        mhdResponse = bytes.withUnsafeBytes { raw in
            MHD_create_response_from_buffer(
                raw.count,
                UnsafeMutableRawPointer(mutating: raw.baseAddress),
                .RESPMEM_MUST_COPY
            )
        }
    }
    guard let mhdResponse else { return nil }
    for (name, value) in response.headers {
        let lowered = name.lowercased()
        if lowered == "content-length" || lowered == "transfer-encoding" { continue }
        _ = MHD_add_response_header(mhdResponse, name, value)
    }
    return mhdResponse
}
