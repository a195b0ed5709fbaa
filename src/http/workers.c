/*
 * workers.c - the bounded job queue and its threads (see workers.h). A ring
 * buffer under one mutex is plenty: jobs take ~0.3 s, queueing ~1 µs.
 */
#include <pthread.h>

#include "workers.h"

struct job {
	worker_job_fn fn;
	void *arg;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t ready;
	struct job *ring;
	size_t cap, head, n_jobs;
	pthread_t *threads;
	unsigned n_threads;
	bool stopping;
} pool = { .lock = PTHREAD_MUTEX_INITIALIZER, .ready = PTHREAD_COND_INITIALIZER };

static void *worker_main(void *unused)
{
	UNUSED(unused);
	for (;;) {
		pthread_mutex_lock(&pool.lock);
		while (!pool.n_jobs && !pool.stopping)
			pthread_cond_wait(&pool.ready, &pool.lock);
		if (!pool.n_jobs && pool.stopping) {
			pthread_mutex_unlock(&pool.lock);
			return NULL;
		}
		struct job j = pool.ring[pool.head];
		pool.head = (pool.head + 1) % pool.cap;
		pool.n_jobs--;
		pthread_mutex_unlock(&pool.lock);
		j.fn(j.arg);
	}
}

int workers_start(unsigned n_threads, size_t queue_cap)
{
	pool.ring = xcalloc(queue_cap, sizeof(*pool.ring));
	pool.cap = queue_cap;
	pool.threads = xcalloc(n_threads, sizeof(*pool.threads));
	for (unsigned i = 0; i < n_threads; i++) {
		if (pthread_create(&pool.threads[i], NULL, worker_main, NULL) != 0) {
			fprintf(stderr, "workers: cannot start thread %u\n", i);
			return -1;
		}
		pool.n_threads++;
	}
	return 0;
}

int workers_submit(worker_job_fn job, void *arg)
{
	int rc = -1;
	pthread_mutex_lock(&pool.lock);
	if (!pool.stopping && pool.n_jobs < pool.cap) {
		pool.ring[(pool.head + pool.n_jobs) % pool.cap] = (struct job){ job, arg };
		pool.n_jobs++;
		pthread_cond_signal(&pool.ready);
		rc = 0;
	}
	pthread_mutex_unlock(&pool.lock);
	return rc;
}

void workers_stop(void)
{
	pthread_mutex_lock(&pool.lock);
	pool.stopping = true;
	pthread_cond_broadcast(&pool.ready);
	pthread_mutex_unlock(&pool.lock);
	for (unsigned i = 0; i < pool.n_threads; i++)
		pthread_join(pool.threads[i], NULL);
	free(pool.threads);
	free(pool.ring);
	pool.threads = NULL;
	pool.ring = NULL;
	pool.n_threads = 0;
}
