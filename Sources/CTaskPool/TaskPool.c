// The pool declared in TaskPool.h. One mutex guards everything: at slaprobe's rates jobs arrive a few times a
// second, and a job's own work dwarfs the lock.
#define _GNU_SOURCE
#include "TaskPool.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

// The Swift runtime runs a job with the executor it runs on; the default executor's jobs run on the generic
// executor, as libdispatch's threads run them. Declared as in swift/Runtime/Concurrency.h, with Swift's calling
// convention.
typedef struct {
    const void *identity;
    uintptr_t implementation;
} slaprobe_serial_executor_ref;
extern __attribute__((swiftcall)) void swift_job_run(void *job, slaprobe_serial_executor_ref executor);

/// How long queued jobs may make no progress, with every thread busy, before one more thread starts.
#define STALL_NANOSECONDS 20000000ull

typedef struct {
    uint64_t due;    // CLOCK_MONOTONIC nanoseconds
    uint64_t order;  // ties keep arrival order
    void *job;
} timed_job;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_ready = PTHREAD_COND_INITIALIZER;  // workers park here
static pthread_cond_t timer_changed;  // the timer thread parks here (CLOCK_MONOTONIC)
static int started;

// Ready jobs: a ring buffer that doubles when full.
static void **ready;
static size_t ready_capacity, ready_head, ready_count;

// Delayed jobs: a binary min-heap on (due, order).
static timed_job *timers;
static size_t timer_capacity, timer_count;
static uint64_t timer_order;

static unsigned eager_limit = 1, max_limit = 1;
static unsigned idle_threads, wakes_pending;
static uint64_t stall_check_due, jobs_run_at_stall_check;  // 0: no check armed
static slaprobe_task_pool_stats stats;

static uint64_t monotonic_now(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
}

static void *grow(void *buffer, size_t *capacity, size_t element) {
    size_t next = *capacity ? *capacity * 2 : 64;
    void *bigger = realloc(buffer, next * element);
    if (!bigger) abort();  // a job cannot be dropped; out of memory ends the process as Swift's allocator would
    *capacity = next;
    return bigger;
}

static void start_thread(void *(*body)(void *), const char *name) {
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_t thread;
    if (pthread_create(&thread, &attributes, body, NULL) != 0) abort();
    pthread_attr_destroy(&attributes);
    pthread_setname_np(thread, name);
}

static void *worker_main(void *unused);

/// What a caller must do once it has let go of the lock: waking a parked thread or starting one while holding
/// the lock would have the woken thread block on it at once.
typedef struct {
    unsigned wake;
    unsigned start;
} pool_actions;

static void perform(pool_actions actions) {
    while (actions.wake-- > 0) pthread_cond_signal(&work_ready);
    while (actions.start-- > 0) start_thread(worker_main, "slaprobe-tasks");
}

// Queues a runnable job; the lock is held. Adds to `actions` what to do after unlocking.
static void push_ready_locked(void *job, pool_actions *actions) {
    if (ready_count == ready_capacity) {
        size_t old_capacity = ready_capacity;
        ready = grow(ready, &ready_capacity, sizeof(void *));
        // The ring wrapped at the old end: the jobs before the head move up behind it, so the queue runs on
        // from the head without a gap.
        if (ready_head > 0) memmove(ready + old_capacity, ready, ready_head * sizeof(void *));
    }
    ready[(ready_head + ready_count) % ready_capacity] = job;
    ready_count++;
    if (idle_threads > wakes_pending) {
        wakes_pending++;
        actions->wake++;
        return;
    }
    if (stats.threads < eager_limit) {
        stats.threads++;
        actions->start++;
        return;
    }
    // Every thread is busy: the job waits. If they stay busy without finishing anything, the timer thread
    // adds one (a job may be blocked waiting for another queued behind it).
    if (stall_check_due == 0 && stats.threads < max_limit) {
        stall_check_due = monotonic_now() + STALL_NANOSECONDS;
        jobs_run_at_stall_check = stats.jobs_run;
        pthread_cond_signal(&timer_changed);
    }
}

static void *worker_main(void *unused) {
    (void)unused;
    const slaprobe_serial_executor_ref generic = {0, 0};
    pthread_mutex_lock(&lock);
    for (;;) {
        while (ready_count == 0) {
            idle_threads++;
            pthread_cond_wait(&work_ready, &lock);
            idle_threads--;
            if (wakes_pending > 0) wakes_pending--;
        }
        void *job = ready[ready_head];
        ready_head = (ready_head + 1) % ready_capacity;
        ready_count--;
        stats.jobs_run++;
        pthread_mutex_unlock(&lock);
        swift_job_run(job, generic);
        pthread_mutex_lock(&lock);
    }
    return NULL;
}

static int timer_before(const timed_job *a, const timed_job *b) {
    return a->due < b->due || (a->due == b->due && a->order < b->order);
}

static void heap_push_locked(timed_job entry) {
    if (timer_count == timer_capacity) timers = grow(timers, &timer_capacity, sizeof(timed_job));
    size_t index = timer_count++;
    while (index > 0) {
        size_t parent = (index - 1) / 2;
        if (!timer_before(&entry, &timers[parent])) break;
        timers[index] = timers[parent];
        index = parent;
    }
    timers[index] = entry;
}

static timed_job heap_pop_locked(void) {
    timed_job top = timers[0];
    timed_job last = timers[--timer_count];
    size_t index = 0;
    for (;;) {
        size_t child = 2 * index + 1;
        if (child >= timer_count) break;
        if (child + 1 < timer_count && timer_before(&timers[child + 1], &timers[child])) child++;
        if (!timer_before(&timers[child], &last)) break;
        timers[index] = timers[child];
        index = child;
    }
    if (timer_count > 0) timers[index] = last;
    return top;
}

// Moves due jobs to the ready queue and runs the stall check, adding to `actions` what to do after unlocking.
static void serve_timers_locked(uint64_t now, pool_actions *actions) {
    while (timer_count > 0 && timers[0].due <= now) push_ready_locked(heap_pop_locked().job, actions);
    if (stall_check_due != 0 && stall_check_due <= now) {
        int stalled = ready_count > 0 && stats.jobs_run == jobs_run_at_stall_check;
        if (stalled && stats.threads < max_limit) {
            stats.threads++;
            stats.rescue_threads++;
            actions->start++;
        }
        // Look again while jobs still wait behind busy threads; otherwise the check is off until next time.
        int waiting = ready_count > 0 && idle_threads <= wakes_pending && stats.threads < max_limit;
        stall_check_due = waiting ? now + STALL_NANOSECONDS : 0;
        jobs_run_at_stall_check = stats.jobs_run;
    }
}

static void *timer_main(void *unused) {
    (void)unused;
    pthread_mutex_lock(&lock);
    for (;;) {
        pool_actions actions = {0, 0};
        serve_timers_locked(monotonic_now(), &actions);
        if (actions.wake > 0 || actions.start > 0) {
            pthread_mutex_unlock(&lock);
            perform(actions);
            pthread_mutex_lock(&lock);
            continue;
        }
        uint64_t wake = timer_count > 0 ? timers[0].due : 0;
        if (stall_check_due != 0 && (wake == 0 || stall_check_due < wake)) wake = stall_check_due;
        if (wake == 0) {
            pthread_cond_wait(&timer_changed, &lock);
        } else {
            struct timespec until = {.tv_sec = (time_t)(wake / 1000000000ull), .tv_nsec = (long)(wake % 1000000000ull)};
            pthread_cond_timedwait(&timer_changed, &lock, &until);
        }
    }
    return NULL;
}

void slaprobe_task_pool_enqueue(void *job) {
    pool_actions actions = {0, 0};
    pthread_mutex_lock(&lock);
    push_ready_locked(job, &actions);
    pthread_mutex_unlock(&lock);
    perform(actions);
}

void slaprobe_task_pool_enqueue_after(void *job, uint64_t delay_nanoseconds) {
    uint64_t due = monotonic_now() + delay_nanoseconds;
    pthread_mutex_lock(&lock);
    stats.delayed_jobs++;
    int earliest = timer_count == 0 || due < timers[0].due;
    heap_push_locked((timed_job){.due = due, .order = timer_order++, .job = job});
    pthread_mutex_unlock(&lock);
    if (earliest) pthread_cond_signal(&timer_changed);
}

int slaprobe_task_pool_start(unsigned eager_threads, unsigned max_threads) {
    pthread_mutex_lock(&lock);
    if (started) {
        pthread_mutex_unlock(&lock);
        return 0;
    }
    started = 1;
    eager_limit = eager_threads > 0 ? eager_threads : 1;
    max_limit = max_threads > eager_limit ? max_threads : eager_limit;
    pthread_condattr_t attributes;
    pthread_condattr_init(&attributes);
    pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC);
    pthread_cond_init(&timer_changed, &attributes);
    pthread_condattr_destroy(&attributes);
    pthread_mutex_unlock(&lock);
    start_thread(timer_main, "slaprobe-timers");
    return 1;
}

slaprobe_task_pool_stats slaprobe_task_pool_statistics(void) {
    pthread_mutex_lock(&lock);
    slaprobe_task_pool_stats snapshot = stats;
    pthread_mutex_unlock(&lock);
    return snapshot;
}
