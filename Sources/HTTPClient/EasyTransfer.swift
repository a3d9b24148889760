import CCurl

/// libcurl must be initialised exactly once, before any other call; a global `let` runs its initialiser once,
/// thread-safely, on first use.
let curlGlobalInit: Void = {
    curl_global_init(Int(CURL_GLOBAL_ALL))
}()

/// One libcurl easy handle carrying one transfer, with the buffers its callbacks fill.
///
/// Owned by the ``TransferLoop`` thread: created, driven and finished there only. libcurl calls the write and
/// header callbacks on that same thread (inside `curl_multi_perform`), with `self` passed as an unretained pointer
/// while the loop keeps the object alive.
final class EasyTransfer {
    let handle: UnsafeMutableRawPointer
    let request: ClientRequest
    let completion: @Sendable (TransferResult) -> Void
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var body: [UInt8] = []
    private var bytesReceived = 0
    private var headers: [(name: String, value: String)] = []
    private var bodyTooLarge = false
    private let isHTTPS: Bool

    /// Whether the handle was given back with ``recycle()``, so that `deinit` leaves it alone.
    private var recycled = false

    /// Prepares `request` on `handle` (a reset handle kept from an earlier transfer) or on a new one.
    init?(
        request: ClientRequest,
        handle reused: UnsafeMutableRawPointer? = nil,
        completion: @escaping @Sendable (TransferResult) -> Void
    ) {
        _ = curlGlobalInit
        guard let handle = reused ?? curl_easy_init() else { return nil }
        self.handle = handle
        self.request = request
        self.completion = completion
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        self.isHTTPS = request.url.lowercased().hasPrefix("https:")
        configure()
    }

    deinit {
        if !recycled { curl_easy_cleanup(handle) }
        if let headerList { curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
    }

    /// Resets the (finished, removed from its multi handle) easy handle to libcurl's defaults and gives it back
    /// for another transfer; this object must not touch it afterwards. The reset drops every option, including
    /// the pointers to this object's callbacks, error buffer and header list, before `deinit` frees them.
    func recycle() -> UnsafeMutableRawPointer {
        precondition(!recycled, "an easy handle is recycled once")
        recycled = true
        curl_easy_reset(handle)
        return handle
    }

    private func configure() {
        let context = Unmanaged.passUnretained(self).toOpaque()
        ccurl_setopt_string(handle, CURLOPT_URL, request.url)
        ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout))
        ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.timeout))
        ccurl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        ccurl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        if request.freshConnection {
            ccurl_setopt_long(handle, CURLOPT_FRESH_CONNECT, 1)
            ccurl_setopt_long(handle, CURLOPT_FORBID_REUSE, 1)
            ccurl_setopt_long(handle, CURLOPT_DNS_CACHE_TIMEOUT, 0)
            ccurl_setopt_long(handle, CURLOPT_SSL_SESSIONID_CACHE, 0)
        }
        if isHTTPS {
            // Debian's libcurl sets a CA path as well as the CA bundle, and libcurl caches the parsed CA store in the
            // multi handle only when no CA path is set. Without the cache every fresh https transfer parses the whole
            // bundle on the loop thread (about 25 ms of CPU each), which delays every other probe and timeout.
            ccurl_setopt_pointer(handle, CURLOPT_CAPATH, nil)
            ccurl_setopt_long(handle, CURLOPT_CERTINFO, 1)
            if request.insecureSkipVerify {
                ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 0)
                ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 0)
            }
            if let caFile = request.caFile {
                ccurl_setopt_string(handle, CURLOPT_CAINFO, caFile)
            }
        }
        let method = request.method.uppercased()
        if let body = request.body {
            ccurl_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            if body.isEmpty {
                ccurl_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, "")
            } else {
                // COPYPOSTFIELDS copies the bytes, so the buffer need not outlive this call.
                _ = body.withUnsafeBufferPointer { buffer in
                    ccurl_setopt_pointer(
                        handle,
                        CURLOPT_COPYPOSTFIELDS,
                        UnsafeMutableRawPointer(mutating: buffer.baseAddress!)
                    )
                }
            }
            // A body makes libcurl send POST; any other method is named explicitly.
            if method != "POST" { ccurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method) }
        } else {
            switch method {
            case "GET": ccurl_setopt_long(handle, CURLOPT_HTTPGET, 1)
            case "HEAD": ccurl_setopt_long(handle, CURLOPT_NOBODY, 1)
            case "POST":
                ccurl_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, 0)
                ccurl_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, "")
            default: ccurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
            }
        }
        var list: UnsafeMutablePointer<curl_slist>? = nil
        // "Name: value" built as C bytes directly: string interpolation here cost more than libcurl's own
        // request formatting.
        var line: [UInt8] = []
        line.reserveCapacity(256)
        for field in request.headers {
            line.removeAll(keepingCapacity: true)
            line.append(contentsOf: field.name.utf8)
            line.append(UInt8(ascii: ":"))
            line.append(UInt8(ascii: " "))
            line.append(contentsOf: field.value.utf8)
            line.append(0)
            list = line.withUnsafeBytes { bytes in
                curl_slist_append(list, bytes.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
        }
        // libcurl adds "Expect: 100-continue" to larger POSTs, which costs a round trip the target did not ask for.
        list = curl_slist_append(list, "Expect:")
        headerList = list
        ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, list)
        ccurl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, writeCallback)
        ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        ccurl_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, headerCallback)
        ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
    }

    fileprivate func receive(_ data: UnsafeRawBufferPointer) -> Bool {
        guard bytesReceived + data.count <= request.maxBodyBytes else {
            bodyTooLarge = true
            return false
        }
        bytesReceived += data.count
        body.append(contentsOf: data)
        return true
    }

    fileprivate func receiveHeader(_ data: UnsafeRawBufferPointer) {
        // Works on the raw bytes: this runs for every header line of every probe, and String slicing and
        // trimming cost more than the rest of the transfer's Swift code together.
        var end = data.count
        while end > 0 && (data[end - 1] == 10 || data[end - 1] == 13) { end -= 1 }
        if end >= 5 && data[0] == UInt8(ascii: "H") && data[1] == UInt8(ascii: "T") && data[2] == UInt8(ascii: "T")
            && data[3] == UInt8(ascii: "P") && data[4] == UInt8(ascii: "/")
        {
            // A new status line (after a 100 Continue, for instance) starts a new header block.
            headers.removeAll()
            return
        }
        var colon = 0
        while colon < end && data[colon] != UInt8(ascii: ":") { colon += 1 }
        guard colon < end else { return }
        var start = colon + 1
        while start < end && (data[start] == UInt8(ascii: " ") || data[start] == UInt8(ascii: "\t")) { start += 1 }
        while end > start && (data[end - 1] == UInt8(ascii: " ") || data[end - 1] == UInt8(ascii: "\t")) { end -= 1 }
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: data[..<colon]), as: UTF8.self)
        let value = String(decoding: UnsafeRawBufferPointer(rebasing: data[start..<end]), as: UTF8.self)
        headers.append((name, value))
    }

    /// Builds the result once libcurl reports the transfer done with `code`.
    func finish(code: CURLcode) -> TransferResult {
        var status = 0
        var statusCode: Int = 0
        if ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &statusCode) == CURLE_OK { status = statusCode }
        var result = TransferResult(
            status: status,
            headers: headers,
            body: body,
            bytesReceived: bytesReceived,
            timings: timings(),
            certificateExpiry: isHTTPS ? certificateExpiry() : nil
        )
        if code != CURLE_OK {
            result.error = error(for: code)
        }
        return result
    }

    private func timings() -> PhaseTimings {
        func stamp(_ info: CURLINFO) -> Double {
            var value: curl_off_t = 0
            guard ccurl_getinfo_offset(handle, info, &value) == CURLE_OK else { return 0 }
            return Double(value) / 1_000_000
        }
        let dns = stamp(CURLINFO_NAMELOOKUP_TIME_T)
        let connect = max(stamp(CURLINFO_CONNECT_TIME_T), dns)
        let appConnect = stamp(CURLINFO_APPCONNECT_TIME_T)
        let tlsDone = appConnect > 0 ? max(appConnect, connect) : connect
        let total = stamp(CURLINFO_TOTAL_TIME_T)
        var firstByte = stamp(CURLINFO_STARTTRANSFER_TIME_T)
        if firstByte == 0 { firstByte = total }
        firstByte = max(firstByte, tlsDone)
        // Processing runs from the connection being ready, so the phases add up to the total: libcurl's own time
        // to prepare and send the request (up to its "pretransfer" stamp, tens of microseconds, more on a busy
        // machine) belongs to no other phase.
        return PhaseTimings(
            dns: dns,
            connect: connect - dns,
            tls: tlsDone - connect,
            processing: firstByte - tlsDone,
            transfer: max(0, total - firstByte),
            total: total
        )
    }

    private func certificateExpiry() -> Double? {
        var info: UnsafeMutablePointer<curl_certinfo>? = nil
        guard ccurl_getinfo_certinfo(handle, &info) == CURLE_OK, let info, info.pointee.num_of_certs > 0,
            let chain = info.pointee.certinfo
        else { return nil }
        var earliest: Double?
        for index in 0..<Int(info.pointee.num_of_certs) {
            var node = chain[index]
            while let current = node {
                if let data = current.pointee.data {
                    let field = String(cString: data)
                    if field.hasPrefix("Expire date:"),
                        let expiry = CertificateDate.parse(String(field.dropFirst("Expire date:".count)))
                    {
                        earliest = min(earliest ?? expiry, expiry)
                    }
                }
                node = current.pointee.next
            }
        }
        return earliest
    }

    private func error(for code: CURLcode) -> TransferError {
        let detail = String(cString: errorBuffer)
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        let kind: TransferErrorKind
        switch code {
        case CURLE_OPERATION_TIMEDOUT: kind = .timeout
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: kind = .dns
        case CURLE_COULDNT_CONNECT: kind = .connect
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
            CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE, CURLE_USE_SSL_FAILED, CURLE_SSL_ENGINE_INITFAILED:
            kind = .tls
        case CURLE_WRITE_ERROR where bodyTooLarge, CURLE_FILESIZE_EXCEEDED:
            kind = .bodyTooLarge
            return TransferError(kind: kind, message: "response body exceeds \(request.maxBodyBytes) bytes")
        default: kind = .other
        }
        return TransferError(kind: kind, message: message)
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}

private let writeCallback: ccurl_data_callback = { data, size, count, context in
    guard let context else { return 0 }
    let transfer = Unmanaged<EasyTransfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    // Returning fewer bytes than offered makes libcurl abort the transfer with CURLE_WRITE_ERROR.
    return transfer.receive(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

private let headerCallback: ccurl_data_callback = { data, size, count, context in
    guard let context else { return 0 }
    let transfer = Unmanaged<EasyTransfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    transfer.receiveHeader(UnsafeRawBufferPointer(start: data, count: length))
    return length
}
