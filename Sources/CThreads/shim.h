// Per-thread settings Swift cannot reach directly: the nice value (Linux keeps one per thread, but the thread id
// comes from the variadic syscall(2) and the once-per-thread flag needs a C thread-local) and the thread's name
// (pthread_setname_np, which glibc declares only for _GNU_SOURCE).
#ifndef SLAPROBE_CTHREADS_SHIM_H
#define SLAPROBE_CTHREADS_SHIM_H

#if defined(__linux__)
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
// Declared by glibc only under _GNU_SOURCE, which would change other headers' definitions for this module alone.
extern int pthread_setname_np(pthread_t thread, const char *name);
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

/// Names the calling thread (Linux keeps the first 15 bytes), as `top -H` and /proc/PID/task/*/comm show it.
static inline void slaprobe_set_thread_name(const char *name) {
#if defined(__linux__)
    char cut[16];
    size_t i = 0;
    for (; name[i] != 0 && i < 15; i++) cut[i] = name[i];
    cut[i] = 0;
    pthread_setname_np(pthread_self(), cut);
#else
    (void)name;
#endif
}

/// The kernel's `struct sched_attr` (version 1, 56 bytes), which glibc 2.36 does not declare.
struct slaprobe_sched_attr {
    unsigned int size;
    unsigned int sched_policy;
    unsigned long long sched_flags;
    int sched_nice;
    unsigned int sched_priority;
    unsigned long long sched_runtime;
    unsigned long long sched_deadline;
    unsigned long long sched_period;
    unsigned int sched_util_min;
    unsigned int sched_util_max;
};

/// Asks the kernel to run the calling thread with a short time slice of `nanoseconds` (Linux 6.12 and later, EEVDF:
/// `sched_attr.sched_runtime` of a SCHED_OTHER thread; 0.1 ms is the shortest it takes). A thread with a shorter
/// slice than the running one preempts it as soon as it wakes, instead of waiting out the other's slice. The
/// policy and nice value stay as they are, so it needs no privilege. Returns 0 when the kernel took it, -1
/// otherwise (an older kernel ignores the slice, or refuses the call).
static inline int slaprobe_request_short_slice(unsigned long long nanoseconds) {
#if defined(__linux__) && defined(SYS_sched_setattr)
    struct slaprobe_sched_attr attr = {0};
    attr.size = sizeof(attr);
    attr.sched_policy = 0; // SCHED_OTHER
    attr.sched_nice = slaprobe_thread_nice();
    attr.sched_runtime = nanoseconds;
    return syscall(SYS_sched_setattr, 0, &attr, 0) == 0 ? 0 : -1;
#else
    (void)nanoseconds;
    return -1;
#endif
}

/// The calling thread's time slice in nanoseconds as the kernel reports it (`sched_getattr`), 0 if unknown.
static inline unsigned long long slaprobe_thread_slice(void) {
#if defined(__linux__) && defined(SYS_sched_getattr)
    struct slaprobe_sched_attr attr = {0};
    if (syscall(SYS_sched_getattr, 0, &attr, sizeof(attr), 0) != 0) return 0;
    return attr.sched_runtime;
#else
    return 0;
#endif
}

#endif
