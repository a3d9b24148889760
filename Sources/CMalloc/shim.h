// A typed wrapper around glibc's mallopt, which Swift's Glibc module does not export (<malloc.h> is not in it).
#ifndef SLAPROBE_CMALLOC_SHIM_H
#define SLAPROBE_CMALLOC_SHIM_H

#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>

/// Sets glibc's mmap threshold: allocations of at least `bytes` are served by mmap and returned to the system
/// when freed. Returns 1 on success, 0 on error.
static inline int slaprobe_set_mmap_threshold(int bytes) {
    return mallopt(M_MMAP_THRESHOLD, bytes);
}
#endif

#endif
