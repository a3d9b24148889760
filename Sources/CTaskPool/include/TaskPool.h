// The threads behind slaprobe's default executor for Swift concurrency (the TaskPool module).
//
// Jobs wait in one queue; delayed jobs wait in a heap served by one timer thread that sleeps until the earliest
// deadline. A worker thread starts when a job arrives and every thread is busy, up to `eager_threads` at once;
// beyond that only when queued jobs made no progress for 20 ms (threads blocked in a job), up to `max_threads`.
// Idle threads park on a condition variable with no timeout and never exit, so a pool with nothing due causes
// no wake-up at all.
#ifndef SLAPROBE_TASK_POOL_H
#define SLAPROBE_TASK_POOL_H

#include <stdint.h>

/// Starts the pool (its timer thread) the first time it is called; later calls do nothing. Returns 1 if this
/// call started it.
int slaprobe_task_pool_start(unsigned eager_threads, unsigned max_threads);

/// Queues a job (a Swift `UnownedJob`) to run as soon as a thread is free.
void slaprobe_task_pool_enqueue(void *job);

/// Queues a job to run once `delay_nanoseconds` have passed on CLOCK_MONOTONIC.
void slaprobe_task_pool_enqueue_after(void *job, uint64_t delay_nanoseconds);

/// What the pool has done so far.
typedef struct {
    uint64_t jobs_run;         ///< jobs run on the pool's threads
    uint64_t delayed_jobs;     ///< jobs that waited for a delay first
    uint32_t threads;          ///< worker threads (running or parked)
    uint32_t rescue_threads;   ///< workers started because queued jobs made no progress
} slaprobe_task_pool_stats;

/// A snapshot of the pool's counters.
slaprobe_task_pool_stats slaprobe_task_pool_statistics(void);

#endif
