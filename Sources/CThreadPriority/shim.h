// Per-thread CPU priority, which Swift cannot set directly: Linux keeps a nice value per thread, but the thread id
// comes from the variadic syscall(2) and the once-per-thread flag needs a C thread-local.
#ifndef SLAPROBE_CTHREADPRIORITY_SHIM_H
#define SLAPROBE_CTHREADPRIORITY_SHIM_H

#if defined(__linux__)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

/// Raises the calling thread's nice value to `nice` the first time it is called on a thread; later calls on that
/// thread return at once. The rest of the process keeps its priority. Only an increase (a lower priority) is
/// asked for, which needs no privilege. Returns 1 if the value was set by this call, 0 otherwise. A no-op outside
/// Linux.
static inline int slaprobe_lower_thread_priority_once(int nice) {
#if defined(__linux__)
    static _Thread_local int lowered;
    if (lowered || nice <= 0) return 0;
    lowered = 1;
    pid_t tid = (pid_t)syscall(SYS_gettid);
    int current = getpriority(PRIO_PROCESS, (id_t)tid);
    if (current >= nice) return 0;
    return setpriority(PRIO_PROCESS, (id_t)tid, nice) == 0 ? 1 : 0;
#else
    (void)nice;
    return 0;
#endif
}

/// The calling thread's nice value (0 outside Linux).
static inline int slaprobe_thread_nice(void) {
#if defined(__linux__)
    return getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
#else
    return 0;
#endif
}

#endif
