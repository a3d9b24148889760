// Typed wrappers around OpenSSL's libcrypto for SHA-256 and HMAC-SHA256: webhook signatures and the basic-auth
// cache key. libcurl already loads libcrypto for TLS, so these cost no library of their own.
#ifndef SLAPROBE_CLIBCRYPTO_SHIM_H
#define SLAPROBE_CLIBCRYPTO_SHIM_H

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stddef.h>

/// Writes the 32-byte SHA-256 of `data` to `out`; 1 on success, 0 on failure.
static inline int slaprobe_sha256(const unsigned char *data, size_t length, unsigned char *out) {
    unsigned int written = 0;
    return EVP_Digest(data, length, out, &written, EVP_sha256(), NULL) == 1 && written == 32;
}

/// Writes the 32-byte HMAC-SHA256 of `data` under `key` to `out`; 1 on success, 0 on failure.
static inline int slaprobe_hmac_sha256(
    const unsigned char *key, size_t key_length, const unsigned char *data, size_t length, unsigned char *out
) {
    unsigned int written = 0;
    static const unsigned char empty = 0;
    return HMAC(EVP_sha256(), key_length > 0 ? key : &empty, (int)key_length, length > 0 ? data : &empty, length,
               out, &written) != NULL && written == 32;
}

#endif
