/*
 * workers.h - a small fixed pool of threads for slow, CPU-bound work
 * (password hashing, exports). The queue is bounded: when it is full the
 * caller gets -1 and answers 503 instead of queueing without limit.
 */
#ifndef WORKERS_H
#define WORKERS_H

#include "../core/common.h"

typedef void (*worker_job_fn)(void *arg);

int workers_start(unsigned n_threads, size_t queue_cap);
/* Queues job(arg); -1 when the queue is full or the pool is stopping. */
int workers_submit(worker_job_fn job, void *arg);
void workers_stop(void);

#endif
