import CLibcrypto

/// SHA-256 and HMAC-SHA256 through OpenSSL's libcrypto, which libcurl already loads for TLS: the webhook
/// signatures (Stripe's and Standard Webhooks') and the basic-auth cache key.
package enum SHA256 {
    /// The 32-byte SHA-256 of `data`.
    package static func hash(_ data: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        let ok = data.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { output in
                slaprobe_sha256(input.baseAddress, input.count, output.baseAddress)
            }
        }
        precondition(ok == 1, "libcrypto could not compute a SHA-256")
        return digest
    }

    /// The 32-byte HMAC-SHA256 of `message` under `key`.
    package static func hmac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var code = [UInt8](repeating: 0, count: 32)
        let ok = key.withUnsafeBufferPointer { key in
            message.withUnsafeBufferPointer { message in
                code.withUnsafeMutableBufferPointer { output in
                    slaprobe_hmac_sha256(
                        key.baseAddress,
                        key.count,
                        message.baseAddress,
                        message.count,
                        output.baseAddress
                    )
                }
            }
        }
        precondition(ok == 1, "libcrypto could not compute an HMAC-SHA256")
        return code
    }

    /// `bytes` as lowercase hexadecimal, two digits a byte.
    package static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
