/* team.c: a fixed team of threads that run one job together, for training.
 *
 * OpenBLAS's own threads split each product of a training step; at batch
 * 128 they waste a third of the second core on partitioning, and they spin
 * after each product, so the element-wise work between products could not
 * be split as well.  A team instead splits the batch: each member runs the
 * whole step on its rows with single-threaded products, and the members
 * meet at a barrier only where the step needs all the rows (the KL of the
 * batch, the gradient sum).  Waiting members spin a little, since the next
 * job comes within microseconds in a training loop, then sleep. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "internal.h"

#define SPINS 2000              /* busy polls (tens of microseconds), then */
#define YIELDS 2000             /* polls that let another thread run first, then sleep */

struct vi_team {
	int n;
	pthread_t *tid;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	atomic_uint arrived;    /* members at the current barrier */
	atomic_uint phase;      /* barriers passed */
	void (*job)(void *ctx, int member, int n);
	void *ctx;              /* NULL job: the workers end */
	int ready;              /* n is final (under mu): the workers may start */
};

static void relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

void vi_team_sync(vi_team *t)
{
	unsigned phase = atomic_load_explicit(&t->phase, memory_order_acquire);

	if (t->n == 1)
		return;
	if (atomic_fetch_add_explicit(&t->arrived, 1, memory_order_acq_rel) + 1 == (unsigned)t->n) {
		atomic_store_explicit(&t->arrived, 0, memory_order_relaxed);
		pthread_mutex_lock(&t->mu);
		atomic_store_explicit(&t->phase, phase + 1, memory_order_release);
		pthread_cond_broadcast(&t->cv);
		pthread_mutex_unlock(&t->mu);
		return;
	}
	for (int i = 0; i < SPINS + YIELDS; i++) {
		if (atomic_load_explicit(&t->phase, memory_order_acquire) != phase)
			return;
		if (i < SPINS)
			relax();
		else
			sched_yield();
	}
	pthread_mutex_lock(&t->mu);
	while (atomic_load_explicit(&t->phase, memory_order_acquire) == phase)
		pthread_cond_wait(&t->cv, &t->mu);
	pthread_mutex_unlock(&t->mu);
}

struct start {
	vi_team *t;
	int member;
};

static void *worker(void *arg)
{
	struct start *s = arg;
	vi_team *t = s->t;
	int member = s->member;

	free(s);
	pthread_mutex_lock(&t->mu);
	while (!t->ready)
		pthread_cond_wait(&t->cv, &t->mu);
	pthread_mutex_unlock(&t->mu);
	for (;;) {
		vi_team_sync(t);               /* a job is posted */
		if (!t->job)
			return NULL;
		t->job(t->ctx, member, t->n);
		vi_team_sync(t);               /* every member is done */
	}
}

vi_team *vi_team_new(int n)
{
	vi_team *t = calloc(1, sizeof *t);
	int members = 1;

	if (!t)
		return NULL;
	pthread_mutex_init(&t->mu, NULL);
	pthread_cond_init(&t->cv, NULL);
	t->tid = n > 1 ? calloc((size_t)n, sizeof *t->tid) : NULL;
	for (; t->tid && members < n; members++) {      /* fewer when threads run out */
		struct start *s = malloc(sizeof *s);
		if (!s)
			break;
		*s = (struct start){ t, members };
		if (pthread_create(&t->tid[members], NULL, worker, s)) {
			free(s);
			break;
		}
	}
	pthread_mutex_lock(&t->mu);
	t->n = members;
	t->ready = 1;
	pthread_cond_broadcast(&t->cv);
	pthread_mutex_unlock(&t->mu);
	return t;
}

int vi_team_size(const vi_team *t)
{
	return t ? t->n : 1;
}

void vi_team_run(vi_team *t, void (*job)(void *ctx, int member, int n), void *ctx)
{
	t->job = job;
	t->ctx = ctx;
	vi_team_sync(t);
	job(ctx, 0, t->n);
	vi_team_sync(t);
}

/* The one split of rows between threads, for training's team here and the
 * programs' inference workers: both need whole blocks per thread, and
 * training needs this exact split for its bit-identical models. */
void vae_block_share(size_t rows, int part, int parts, size_t *r0, size_t *r1)
{
	size_t blocks = (rows + VI_BLOCK - 1) / VI_BLOCK;
	size_t a = blocks * (size_t)part / (size_t)parts * VI_BLOCK;
	size_t b = blocks * (size_t)(part + 1) / (size_t)parts * VI_BLOCK;

	*r1 = b < rows ? b : rows;
	*r0 = a < *r1 ? a : *r1;
}

struct blocks {
	void (*fn)(void *ctx, int member, size_t r0, size_t r1);
	void *ctx;
	size_t rows;
};

static void blocks_job(void *arg, int i, int n)
{
	const struct blocks *b = arg;
	size_t r0, r1;

	vae_block_share(b->rows, i, n, &r0, &r1);
	if (r0 < r1)
		b->fn(b->ctx, i, r0, r1);
}

void vi_team_blocks(vi_team *t, size_t rows,
                     void (*fn)(void *ctx, int member, size_t r0, size_t r1), void *ctx)
{
	struct blocks b = { fn, ctx, rows };

	vi_team_run(t, blocks_job, &b);
}

void vi_team_free(vi_team *t)
{
	if (!t)
		return;
	t->job = NULL;
	vi_team_sync(t);
	for (int i = 1; i < t->n; i++)
		pthread_join(t->tid[i], NULL);
	pthread_mutex_destroy(&t->mu);
	pthread_cond_destroy(&t->cv);
	free(t->tid);
	free(t);
}
