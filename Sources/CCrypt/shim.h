// A typed wrapper around libcrypt's crypt_rn (libxcrypt), which checks bcrypt hashes for basic auth.
#ifndef SLAPROBE_CCRYPT_SHIM_H
#define SLAPROBE_CCRYPT_SHIM_H

#include <crypt.h>
#include <stdlib.h>
#include <string.h>

/// 1 when `password` hashes to `hash` (any scheme libxcrypt knows: bcrypt $2a$/$2b$/$2y$, sha512crypt ...),
/// 0 when it does not or the hash is malformed. Reentrant: the work area is allocated per call.
static inline int slaprobe_crypt_matches(const char *password, const char *hash) {
    struct crypt_data *data = calloc(1, sizeof(struct crypt_data));
    if (data == NULL) return 0;
    const char *result = crypt_rn(password, hash, data, (int)sizeof(struct crypt_data));
    int matches = result != NULL && result[0] != '*' && strlen(result) == strlen(hash)
        && memcmp(result, hash, strlen(hash)) == 0;
    explicit_bzero(data, sizeof(struct crypt_data));
    free(data);
    return matches;
}

#endif
