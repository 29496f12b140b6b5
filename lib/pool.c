/* pool.c: a few worker threads for the element-wise work of training, so
 * it uses the cores the matrix products use.  Work is split into fixed
 * index ranges and nothing is reduced across them, so results are the same
 * for any number of threads. */
#include <pthread.h>
#include <stdlib.h>

#include "internal.h"

#define POOL_MAX 64

static struct pool {
	pthread_mutex_t lock;
	pthread_cond_t work, done;
	pthread_t tid[POOL_MAX];
	int threads;            /* workers started, beside the caller */
	unsigned long job;      /* generation: bumped for each parallel_for */
	int pending;            /* workers still on the current job */
	int busy;               /* a job is under way */
	void (*fn)(void *ctx, size_t lo, size_t hi);
	void *ctx;
	size_t n, parts;
} pool = { .lock = PTHREAD_MUTEX_INITIALIZER, .work = PTHREAD_COND_INITIALIZER,
            .done = PTHREAD_COND_INITIALIZER };

/* Part i of [0, n) in parts pieces. */
static void part(size_t n, size_t parts, size_t i, size_t *lo, size_t *hi)
{
	*lo = n * i / parts;
	*hi = n * (i + 1) / parts;
}

static void *worker(void *arg)
{
	size_t me = (size_t)arg;
	unsigned long seen = 0;

	pthread_mutex_lock(&pool.lock);
	for (;;) {
		while (pool.job == seen)
			pthread_cond_wait(&pool.work, &pool.lock);
		seen = pool.job;
		if (me < pool.parts) {
			size_t lo, hi;
			part(pool.n, pool.parts, me, &lo, &hi);
			pthread_mutex_unlock(&pool.lock);
			pool.fn(pool.ctx, lo, hi);
			pthread_mutex_lock(&pool.lock);
		}
		if (--pool.pending == 0)
			pthread_cond_signal(&pool.done);
	}
	return NULL;
}

void vae_pool_size(int threads)
{
	pthread_mutex_lock(&pool.lock);
	while (pool.threads + 1 < threads && pool.threads < POOL_MAX - 1) {
		if (pthread_create(&pool.tid[pool.threads], NULL, worker, (void *)(size_t)(pool.threads + 1)))
			break;          /* fewer threads: the work still gets done */
		pthread_detach(pool.tid[pool.threads]);
		pool.threads++;
	}
	pthread_mutex_unlock(&pool.lock);
}

void vae_parallel_for(size_t n, size_t grain, void (*fn)(void *ctx, size_t lo, size_t hi), void *ctx)
{
	size_t parts = (size_t)pool.threads + 1;

	if (parts > 1 && grain)
		parts = n / grain < parts ? n / grain : parts;
	if (parts > 1) {
		pthread_mutex_lock(&pool.lock);
		if (pool.busy)
			parts = 1;      /* another thread's job: do this one here */
		pool.busy = parts > 1;
		if (parts <= 1)
			pthread_mutex_unlock(&pool.lock);
	}
	if (parts <= 1) {
		fn(ctx, 0, n);
		return;
	}
	pool.fn = fn;
	pool.ctx = ctx;
	pool.n = n;
	pool.parts = parts;
	pool.pending = pool.threads;
	pool.job++;
	pthread_cond_broadcast(&pool.work);
	pthread_mutex_unlock(&pool.lock);
	size_t lo, hi;
	part(n, parts, 0, &lo, &hi);
	fn(ctx, lo, hi);                /* the caller takes part 0 */
	pthread_mutex_lock(&pool.lock);
	while (pool.pending > 0)
		pthread_cond_wait(&pool.done, &pool.lock);
	pool.busy = 0;
	pthread_mutex_unlock(&pool.lock);
}
