/* train.c: vae_fit, minibatch Adam on the negative ELBO over epochs, with validation. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#define PROGRESS_EVERY 0.25     /* seconds between progress calls in an epoch */

/* ======================================================================
 * Options
 * ==================================================================== */

vae_fit_opts vae_fit_defaults(void)
{
	vae_fit_opts o = { 0 };

	o.epochs = 50;
	o.batch = 128;
	o.lr = 1e-3f;
	o.beta = 1.0f;
	o.seed = 1;
	o.lr_decay = 1.0f;
	o.average = VAE_AVERAGE_EPOCH;
	return o;
}

static int bad_real(float v, float lo, float hi)
{
	return !(v >= lo && v <= hi);   /* NaN too */
}

const char *vae_check_fit_opts(const vae_fit_opts *o)
{
	if (o->epochs == 0)
		return "the number of epochs is 0";
	if (o->batch == 0)
		return "the batch size is 0";
	if (!(o->lr > 0) || bad_real(o->lr, 0, 10))
		return "the learning rate is not in (0, 10]";
	if (bad_real(o->beta, 0, 1e6))
		return "beta is not in [0, 1e6]";
	if (bad_real(o->free_bits, 0, 1e3))
		return "free bits are not in [0, 1000] nats";
	if (bad_real(o->noise, 0, 1e3) || bad_real(o->mask, 0, 0.99f))
		return "the input noise is not a sd >= 0 or a masking chance in [0, 0.99]";
	if (!(o->lr_decay > 0) || bad_real(o->lr_decay, 0, 1))
		return "the learning rate decay is not in (0, 1]";
	if (bad_real(o->clip, 0, 1e9))
		return "the gradient clip is not a norm >= 0";
	if (bad_real(o->val, 0, 0.9f))
		return "the validation fraction is not in [0, 0.9]";
	if (o->patience && o->val == 0)
		return "patience needs validation rows (a validation fraction)";
	if (bad_real(o->label_weight, 0, 1e9))
		return "the label's weight is not a number >= 0";
	if (bad_real(o->trim, 0, 0.5f))
		return "the share of rows left out of each step is not in [0, 0.5]";
	return NULL;
}

/* ======================================================================
 * The batch's gradient: the members' sum and its norm
 * ==================================================================== */

VI_VECTOR static void add_range(float *restrict g, const float *restrict h, size_t lo, size_t hi)
{
	for (size_t i = lo; i < hi; i++)
		g[i] += h[i];
}

/* The squared norm of g, or of g + h when h is not NULL, over [lo, hi). */
static double sumsq_range(const float *g, const float *h, size_t lo, size_t hi)
{
	double ss = 0;

	for (size_t i = lo; i < hi; i++) {
		float gi = h ? g[i] + h[i] : g[i];
		ss += (double)gi * gi;
	}
	return ss;
}

/* ======================================================================
 * One fit's state
 * ==================================================================== */

/* A member of the training team: a share of each batch's rows, and the
 * buffers to compute their gradient. */
typedef struct member {
	vae_ctx *c;
	float *g;               /* its rows' gradient; member 0's gets the batch's sum */
	double *kl_dim;         /* the whole batch's KL by dimension */
	size_t r0, r1;          /* its rows of the batch */
	size_t p0, p1;          /* its share of the parameters in the update */
	vi_terms sum;          /* its rows' recon and KL; obj: the KL objective */
	double ss;              /* squared gradient norm of its parameters */
} member;

/* A batch row and its score, for trimming. */
typedef struct ranked {
	float score;
	size_t at;              /* its place in the batch */
} ranked;

typedef struct trainer {
	vae_model *m;
	const vae_mat *x;
	const float *y;         /* the rows' labels (classes, NAN for none), or NULL */
	const vae_fit_opts *o;
	vi_team *team;
	member *mem;            /* one per member of the team */
	vae_ctx **ctx;          /* the members' contexts */
	int n_mem;
	float *score;           /* the validation rows', or a batch's */
	size_t *perm;           /* [0, n_val): validation rows; then the training rows */
	size_t *kept;           /* a trimmed batch's rows */
	ranked *rank;           /* a batch's rows by score */
	size_t *own;            /* the rows this process holds of a batch or of
	                         * the validation rows: places, then rows (comm.c) */
	size_t n_val, n_train, batch;
	/* labels, when some rows have none: each step adds extra labelled
	 * training rows from the pool, a shuffled cycle of them */
	size_t *pool, n_pool, pool_at, extra;
	size_t *mixed;          /* a step's rows: the batch's, then the pool's */
	float alpha;            /* a labelled row's -log q(y|x) beside a row's -ELBO */
	uint64_t steps;         /* Adam steps taken in this fit */
	vae_rng r;
	const vae_mat *vx;      /* the validation rows: vx's rows vidx[0, n_val), */
	const size_t *vidx;     /* or its first n_val when vidx is NULL */
	/* rows on disk (vae_fit_rows): x is a window of their training rows */
	vae_rows *src;
	vae_mat win, blk;       /* the window (win_cap rows); a block as read */
	vae_mat val;            /* the validation rows, scaled */
	size_t win_cap, block, n_blocks;
	size_t *order;          /* the blocks in this epoch's order */
	size_t *held;           /* the validation rows' numbers, ascending */
	float *avg;             /* the weights' moving average (o->average) */
	float *raw;             /* the steps' weights, while avg is validated */
	float avg_limit;        /* its decay, 1 - 1/steps */
	float avg_decay;        /* the step's */
	float *best;            /* params, adam m and v of the best epoch */
	uint64_t best_t;
	double best_val;
	/* the step in progress */
	const size_t *idx;      /* its rows this process holds, in x */
	const size_t *place;    /* and their places in the batch */
	size_t rows;            /* the batch's rows, all processes' */
	int summed;             /* mem[0].g holds the gradient of the whole batch */
	uint64_t step_seed;     /* seeds its rows' draws */
	vi_objective obj;
	float lr;
} trainer;

static void trainer_free(trainer *t)
{
	for (int i = 0; t->mem && i < t->n_mem; i++) {
		vae_ctx_free(t->mem[i].c);
		free(t->mem[i].g);
		free(t->mem[i].kl_dim);
	}
	free(t->mem);
	free(t->ctx);
	vi_team_free(t->team);
	free(t->score);
	free(t->perm);
	free(t->kept);
	free(t->rank);
	free(t->own);
	free(t->pool);
	free(t->mixed);
	free(t->avg);
	free(t->raw);
	free(t->best);
	vae_mat_release(&t->win);
	vae_mat_release(&t->blk);
	vae_mat_release(&t->val);
	free(t->order);
	free(t->held);
}

/* Rows [r0, r1) of a batch for member i of n: the first rows % n members
 * take one more. */
static void share(size_t rows, int i, int n, size_t *r0, size_t *r1)
{
	size_t q = rows / (size_t)n, extra = rows % (size_t)n, k = (size_t)i;

	*r0 = k * q + (k < extra ? k : extra);
	*r1 = *r0 + q + (k < extra);
}

/* The team, one member per thread (o->threads, or one per core), each
 * running single-threaded products; never more members than batch rows. */
static int team_init(trainer *t, vae_err *e)
{
	size_t np = t->m->n_params, k = vi_kl_dims(t->m);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	size_t want = t->o->threads ? t->o->threads : cores > 0 ? (size_t)cores : 1;

	if (want > t->batch)
		want = t->batch;
	if (!(t->team = vi_team_new((int)want)))
		return VAE_ENOMEM;
	t->n_mem = vi_team_size(t->team);
	t->mem = calloc((size_t)t->n_mem, sizeof *t->mem);
	t->ctx = calloc((size_t)t->n_mem, sizeof *t->ctx);
	if (!t->mem || !t->ctx)
		return VAE_ENOMEM;
	for (int i = 0; i < t->n_mem; i++) {
		member *b = &t->mem[i];
		size_t r0, r1;
		share(t->batch + t->extra, i, t->n_mem, &r0, &r1);
		/* parameter shares in whole cache lines, so no two members write one */
		b->p0 = i ? t->mem[i - 1].p1 : 0;
		b->p1 = i + 1 < t->n_mem ? (np * (size_t)(i + 1) / (size_t)t->n_mem) & ~(size_t)15 : np;
		b->p1 = b->p1 < b->p0 ? b->p0 : b->p1;
		b->g = malloc(np * sizeof *b->g);
		b->kl_dim = malloc(k * sizeof *b->kl_dim);
		if (!b->g || !b->kl_dim || !(b->c = t->ctx[i] = vae_ctx_new(t->m, r1 - r0, e)))
			return VAE_ENOMEM;
	}
	return 0;
}

/* Rows on disk: the window, block and validation rows o->memory holds.
 * Half of it is the window, with an index a row; an eighth at most the
 * validation rows, so that the rest of the fit (the model, the batch's
 * buffers, the program) has room.  Blocks are cut smaller when a window
 * would hold fewer than four. */
static int stream_plan(trainer *t, size_t n, vae_err *e)
{
	size_t d = vae_rows_cols(t->src), row = (d ? d : 1) * sizeof(float);
	size_t window = t->o->memory / 2 / (row + sizeof(size_t)), held = t->o->memory / 8 / row;

	t->n_val = t->n_val < held ? t->n_val : held;
	t->block = vi_spool_block(d);
	t->block = t->block < window / 4 ? t->block : window / 4;
	t->win_cap = window;
	if (!t->block || window < 2 * (t->o->batch < n ? t->o->batch : n) + t->block)
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "%zu bytes of memory hold no window of "
		               "two batches of %zu rows of %zu columns", t->o->memory, t->o->batch, d);
	t->n_blocks = (n + t->block - 1) / t->block;
	return 0;
}

/* Labels: how many rows have one, the classifier's weight, and when
 * some have none, the labelled rows each step adds (half a batch, at most
 * all of them). */
static int labels_init(trainer *t, size_t n)
{
	size_t labelled = 0;

	for (size_t i = 0; t->y && i < n; i++)
		labelled += t->y[i] == t->y[i];
	t->alpha = t->o->label_weight > 0 ? t->o->label_weight : VAE_LABEL_WEIGHT;
	if (!labelled || labelled == n)
		return 0;
	t->extra = t->batch / 2 > 0 ? t->batch / 2 : 1;
	t->extra = t->extra < labelled ? t->extra : labelled;
	t->pool = malloc(labelled * sizeof *t->pool);
	t->mixed = malloc((t->batch + t->extra) * sizeof *t->mixed);
	return t->pool && t->mixed ? 0 : VAE_ENOMEM;
}

/* The decay of the weights' average over n steps (VAE_AVERAGE_EPOCH: an
 * epoch's, per_epoch, at most VAE_AVERAGE_MAX); 0 for none. */
static float average_limit(uint32_t n, size_t per_epoch)
{
	double steps = n != VAE_AVERAGE_EPOCH ? n
	             : per_epoch < VAE_AVERAGE_MAX ? (double)per_epoch : VAE_AVERAGE_MAX;

	return steps > 1 ? (float)(1 - 1 / steps) : 0;
}

static int trainer_init(trainer *t, vae_model *m, const vae_mat *x, const float *y,
                        vae_rows *src, const vae_fit_opts *o, vae_err *e)
{
	size_t n = x ? vi_comm_rows(o->comm, x->rows) : vae_rows_count(src), np = m->n_params;
	int rc;

	memset(t, 0, sizeof *t);
	t->m = m;
	t->x = x ? x : &t->win;
	t->y = y;
	t->o = o;
	t->src = src;
	t->n_val = (size_t)((double)o->val * (double)n);
	if (src && (rc = stream_plan(t, n, e)))
		return rc;
	t->n_train = n - t->n_val;
	t->batch = o->batch < t->n_train ? o->batch : t->n_train;
	t->best_val = INFINITY;
	vae_rng_seed(&t->r, o->seed);
	size_t n_perm = src ? t->win_cap : n, step = t->batch;
	rc = labels_init(t, n);
	step += t->extra;
	t->perm = malloc(n_perm * sizeof *t->perm);
	t->score = malloc((t->n_val > t->batch ? t->n_val : t->batch) * sizeof *t->score);
	t->kept = malloc(t->batch * sizeof *t->kept);
	t->rank = malloc(t->batch * sizeof *t->rank);
	t->own = malloc(2 * (t->n_val > step ? t->n_val : step) * sizeof *t->own);
	t->best = t->n_val ? malloc(3 * np * sizeof *t->best) : NULL;
	t->avg_limit = average_limit(o->average, (t->n_train + t->batch - 1) / t->batch);
	t->avg = t->avg_limit > 0 ? malloc(np * sizeof *t->avg) : NULL;
	t->raw = t->avg && t->n_val ? malloc(np * sizeof *t->raw) : NULL;
	if (rc || !t->perm || !t->score || !t->kept || !t->rank || !t->own || (t->n_val && !t->best)
	    || (t->avg_limit > 0 && (!t->avg || (t->n_val && !t->raw))) || team_init(t, e))
		return vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate the training state");
	if (t->avg)             /* from the starting weights: those of --init's model too */
		memcpy(t->avg, m->params, np * sizeof *t->avg);
	for (size_t i = 0; i < n_perm; i++)
		t->perm[i] = i;
	t->vx = src ? &t->val : x;
	t->vidx = src ? NULL : t->perm;
	return 0;
}

/* Fisher-Yates over n indices. */
static void shuffle(size_t *perm, size_t n, vae_rng *r)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)(vae_rng_uniform(r) * (double)i), s = perm[i - 1];
		perm[i - 1] = perm[j];
		perm[j] = s;
	}
}

/* A table's row x (model units) into the encoder's input in, a denoising
 * fit's cells dropped (read as missing) with chance o->mask, and noise of
 * sd o->noise added to the real and positive inputs, from r. */
static void table_input(const vae_model *m, const vae_fit_opts *o, const float *x, float *in,
                        unsigned char *drop, vae_rng *r)
{
	size_t d = m->arch.n_in;

	for (size_t j = 0; j < d; j++)
		drop[j] = o->mask > 0 && vae_rng_uniform(r) < o->mask;
	vi_table_input(m, x, drop, in);
	for (size_t j = 0; o->noise > 0 && j < d; j++)
		if (m->net[j].kind <= VAE_KIND_POSITIVE && x[j] == x[j] && !drop[j])
			in[m->net[j].in] += o->noise * vae_rng_normal(r);
}

/* Row x's d values asked of memory ahead of their copy.  A batch's rows
 * come in a shuffled order, which the hardware cannot foresee; asked for
 * one row ahead, the copies of an epoch of Fashion-MNIST took half the time
 * (a gather of 60,000 rows, 24 ms alone, 12 ms so). */
static void prefetch_row(const float *x, size_t d)
{
	for (size_t j = 0; j < d; j += 64 / sizeof *x)
		__builtin_prefetch(x + j, 0, 0);
}

/* Member b's rows of the batch idx[0..rows) into its context, with their
 * eps, and for a denoising fit a corrupted copy for the encoder.  A row's
 * draws come from a stream of its own, seeded by the step and its place in
 * the batch, so they are the same whichever member (or process) takes the
 * row. */
static void load_rows(const trainer *t, member *b)
{
	vae_ctx *c = b->c;
	const vae_fit_opts *o = t->o;
	const vae_model *m = t->m;
	size_t d = t->x->cols, k = m->arch.n_latent, k2 = m->arch.n_latent2;

	c->noisy = o->noise > 0 || o->mask > 0;
	if (b->r0 < b->r1)
		prefetch_row(t->x->x + t->idx[b->r0] * d, d);
	for (size_t i = b->r0; i < b->r1; i++) {
		float *x = c->x + (i - b->r0) * d, *xn = c->xn + (i - b->r0) * d;
		float *eps = c->eps + (i - b->r0) * k;
		vae_rng r;
		if (i + 1 < b->r1)
			prefetch_row(t->x->x + t->idx[i + 1] * d, d);
		vi_rng_seed_index(&r, t->step_seed, t->place[i]);
		memcpy(x, t->x->x + t->idx[i] * d, d * sizeof *x);
		if (m->arch.n_classes)
			c->y[i - b->r0] = t->y ? t->y[t->idx[i]] : NAN;
		for (size_t j = 0; j < k; j++)
			eps[j] = vae_rng_normal(&r);
		for (size_t j = 0; j < k2; j++)         /* z2's after z1's */
			c->eps2[(i - b->r0) * k2 + j] = vae_rng_normal(&r);
		if (m->table) {         /* xn's bytes: a row's dropped cells */
			table_input(m, o, x, c->xin + (i - b->r0) * m->n_enc, (unsigned char *)xn, &r);
			continue;
		}
		for (size_t j = 0; c->noisy && j < d; j++) {
			float v = x[j];
			if (o->mask > 0 && vae_rng_uniform(&r) < o->mask)
				v = 0;
			if (o->noise > 0)
				v += o->noise * vae_rng_normal(&r);
			xn[j] = v;
		}
	}
}

/* The batch's KL by dimension into member i's kl_dim, the members' summed
 * in their order; with other processes, member 0 (the thread that called
 * vae_fit, the one that may talk to them) adds theirs, and the others copy
 * its sum. */
static void batch_kl(trainer *t, int i, int n)
{
	size_t k = vi_kl_dims(t->m);            /* both levels' */
	double *kl = t->mem[i].kl_dim;

	for (size_t j = 0; j < k; j++) {
		kl[j] = 0;
		for (int m = 0; m < n; m++)
			kl[j] += t->mem[m].c->kl_dim[j];
	}
	if (!t->o->comm)
		return;
	if (i == 0)
		t->o->comm->sum_double(kl, k, t->o->comm->user);
	vi_team_sync(t->team);
	if (i)
		memcpy(kl, t->mem[0].kl_dim, k * sizeof *kl);
}

/* A member's part of the gradient: the forward pass over its rows, then,
 * once every member knows the batch's KL by dimension, the backward pass. */
static void gradient_job(void *ctx, int i, int n)
{
	trainer *t = ctx;
	member *b = &t->mem[i];
	size_t rows = b->r1 - b->r0, k = vi_kl_dims(t->m);
	const float *p = t->m->params;

	b->sum = (vi_terms){ 0, 0, 0 };
	load_rows(t, b);
	if (rows)
		b->sum.recon = vi_elbo_forward(b->c, p, b->g, rows, 1.0f / (float)t->rows, &b->sum.kl);
	else
		memset(b->c->kl_dim, 0, k * sizeof *b->c->kl_dim);
	vi_team_sync(t->team);
	batch_kl(t, i, n);
	if (!t->m->arch.autoencoder)
		b->sum.obj = vi_kl_weights(b->kl_dim, k, t->rows, &t->obj, b->c->bw);
	if (rows)
		vi_elbo_backward(b->c, p, b->g, rows, b->c->bw, 1.0f / (float)t->rows, &t->obj);
}

/* A member's share of the update: the batch's gradient (the members' sum),
 * clipped to the norm o->clip, then Adam, and the weights' average. */
static void update_job(void *ctx, int i, int n)
{
	trainer *t = ctx;
	member *b = &t->mem[i];
	float *g = t->mem[0].g, *h = NULL, clip = t->o->clip, f = 1;

	for (int m = 1; m < n && !t->summed; m++) {    /* the last is added in the passes below */
		if (t->mem[m].r1 == t->mem[m].r0)
			continue;
		if (h)
			add_range(g, h, b->p0, b->p1);
		h = t->mem[m].g;
	}
	if (clip > 0) {
		double ss = 0;
		b->ss = sumsq_range(g, h, b->p0, b->p1);
		vi_team_sync(t->team);
		for (int m = 0; m < n; m++)
			ss += t->mem[m].ss;
		if (ss > (double)clip * clip)
			f = (float)(clip / sqrt(ss));
	}
	vi_adam_update(t->m, g, h, f, t->lr, t->avg, t->avg_decay, b->p0, b->p1);
	vi_bf16_refresh(t->m->params, b->p0, b->p1);
}

/* With other processes: the members' gradients into member 0's, whole
 * (one that took no rows adds nothing, and member 0's is 0 when it took
 * none), for the sum across the processes. */
static void members_sum_job(void *ctx, int i, int n)
{
	trainer *t = ctx;
	member *b = &t->mem[i];
	float *g = t->mem[0].g;

	if (t->mem[0].r1 == t->mem[0].r0)
		memset(g + b->p0, 0, (b->p1 - b->p0) * sizeof *g);
	for (int m = 1; m < n; m++)
		if (t->mem[m].r1 > t->mem[m].r0)
			add_range(g, t->mem[m].g, b->p0, b->p1);
}

/* The batch's gradient and terms s summed over the processes, between the
 * team's runs, on the thread that called vae_fit. */
static void sum_across(trainer *t, vi_terms *s)
{
	const vae_comm *c = t->o->comm;
	double terms[2] = { s->recon, s->kl };

	t->summed = c != NULL;
	if (!c)
		return;
	vi_team_run(t->team, members_sum_job, t);
	c->sum_float(t->mem[0].g, t->m->n_params, c->user);
	c->sum_double(terms, 2, c->user);
	s->recon = terms[0];
	s->kl = terms[1];
}

/* The step's terms, the members' summed in their order. */
static vi_terms members_terms(const trainer *t)
{
	vi_terms s = { 0, 0, 0 };

	for (int m = 0; m < t->n_mem; m++) {
		s.recon += t->mem[m].sum.recon;
		s.kl += t->mem[m].sum.kl;
	}
	return s;
}

static double objective(const trainer *t, const vi_terms *s)
{
	return (s->recon + t->obj.beta * t->mem[0].sum.obj) / (double)t->rows;
}

/* A step in one run of the team, when no other process adds to the
 * gradient: each member takes the same terms to the same verdict, so the
 * update needs no word from the thread that called vae_fit, and the team
 * meets three times a step rather than five.  A meeting is cheap when both
 * threads run, but where the cores are shared a member that waits gives
 * up its core, and each meeting then costs a wake-up. */
static void step_job(void *ctx, int i, int n)
{
	trainer *t = ctx;
	vi_terms s;

	gradient_job(ctx, i, n);
	vi_team_sync(t->team);
	s = members_terms(t);
	if (isfinite(objective(t, &s)))
		update_job(ctx, i, n);
}

/* The average's decay this step: avg_limit, but less over the first
 * steps, (1 + t) / (10 + t) after t of them, so that the average soon
 * forgets the starting weights (TensorFlow's ExponentialMovingAverage
 * with num_updates does the same). */
static float average_decay(const trainer *t)
{
	float d = (float)(1 + t->steps) / (float)(10 + t->steps);

	return d < t->avg_limit ? d : t->avg_limit;
}

/* One step on the batch of rows idx[0..rows).  @return its terms summed
 * over the rows, obj the objective; no step is taken when that is not
 * finite.  This process computes the rows it holds. */
static vi_terms step(trainer *t, const size_t *idx, size_t rows)
{
	vi_terms s;
	size_t own = vi_comm_own(t->o->comm, idx, rows, t->own, t->own + rows);

	t->place = t->own;
	t->idx = t->own + rows;
	t->rows = rows;
	t->step_seed = vae_rng_next(&t->r);
	t->obj.class_w = t->alpha / (float)rows;   /* beside a row's -ELBO / rows */
	for (int m = 0; m < t->n_mem; m++)
		share(own, m, t->n_mem, &t->mem[m].r0, &t->mem[m].r1);
	t->m->adam_t++;         /* the members' updates share the step count */
	t->avg_decay = average_decay(t);
	if (!t->o->comm) {
		vi_team_run(t->team, step_job, t);
		s = members_terms(t);
	} else {
		vi_team_run(t->team, gradient_job, t);
		s = members_terms(t);
		sum_across(t, &s);
		if (isfinite(objective(t, &s)))
			vi_team_run(t->team, update_job, t);
	}
	s.obj = objective(t, &s);
	if (!isfinite(s.obj))
		t->m->adam_t--;         /* no update was made */
	return s;
}

/* By score, ties by place; a NaN score ranks last, so it is left out first. */
static int by_score(const void *a, const void *b)
{
	const ranked *p = a, *q = b;

	if (p->score != q->score)
		return p->score != p->score ? 1 : q->score != q->score ? -1
		     : (p->score > q->score) - (p->score < q->score);
	return (p->at > q->at) - (p->at < q->at);
}

static int by_place(const void *a, const void *b)
{
	const ranked *p = a, *q = b;

	return (p->at > q->at) - (p->at < q->at);
}

/* The batch idx[0..rows) without its worst o->trim share by -ELBO at
 * z = mu: anomalies among the training rows score high, and left out they
 * do not teach the decoder to reconstruct them.  The rows kept go to
 * t->kept in their batch order.  @return how many.
 * A share of each batch, not of all the rows by a cut made before each
 * epoch: that did as well on bench/anomaly.py (mean ROC-AUC 0.860 against
 * 0.857), but the rows it left out were never learnt, their scores grew
 * without bound (the log example's training p99.9 rose to 340,000 nats),
 * and the thresholds taken from them no longer flagged a port scan. */
static size_t trim_batch(trainer *t, const size_t *idx, size_t rows)
{
	size_t drop = (size_t)((double)t->o->trim * (double)rows + 0.5);
	size_t n = drop < rows ? rows - drop : 1;      /* a step has a row: 0.5 of 1 rounds to 1 */

	drop = rows - n;
	if (drop)
		vi_comm_score(t->team, t->ctx, t->x, t->y, t->o->comm, idx, rows, NULL, t->score, t->own);
	for (size_t i = 0; i < rows; i++)
		t->rank[i] = (ranked){ drop ? t->score[i] : 0, i };
	if (drop) {
		qsort(t->rank, rows, sizeof *t->rank, by_score);
		qsort(t->rank, n, sizeof *t->rank, by_place);
	}
	for (size_t i = 0; i < n; i++)
		t->kept[i] = idx[t->rank[i].at];
	return n;
}

/* ======================================================================
 * Epochs
 * ==================================================================== */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* beta rises linearly over the first warmup epochs, step by step. */
static float beta_now(const trainer *t, size_t steps_per_epoch)
{
	double ramp = (double)t->o->warmup * (double)steps_per_epoch;

	return ramp > 0 && (double)t->steps < ramp ? t->o->beta * (float)((double)t->steps / ramp)
	                                           : t->o->beta;
}

/* The validation rows' mean -ELBO at z = mu (an autoencoder's: recon),
 * without their worst o->trim share when training leaves that out: the
 * held-out rows hold anomalies too, and a few rows whose loss grows
 * without bound as the model sharpens would stop training while it still
 * improves on the rest (on bench/weblog.sh the mean of all of them was
 * least at epoch 17 of 50, and the model kept there ranked the planted
 * requests at ROC-AUC 0.948; without their worst tenth the loss fell to
 * the last epoch, and its model ranked them at 0.970). */
static double validate(trainer *t)
{
	size_t n = t->n_val, drop = (size_t)((double)t->o->trim * (double)n + 0.5);
	size_t keep = drop < n ? n - drop : 1;
	double s = 0;

	if (!n)
		return NAN;
	vi_comm_score(t->team, t->ctx, t->vx, t->src ? NULL : t->y, t->vidx ? t->o->comm : NULL,
	              t->vidx, n, NULL, t->score, t->own);
	if (keep < n) {         /* a NaN sorts where it may: take it as the worst */
		for (size_t i = 0; i < n; i++)
			t->score[i] = t->score[i] == t->score[i] ? t->score[i] : INFINITY;
		qsort(t->score, n, sizeof *t->score, vi_cmp_float);
	}
	for (size_t i = 0; i < keep; i++)
		s += t->score[i];
	return s / (double)keep;
}

static int report(const trainer *t, const vae_epoch *ep)
{
	return t->o->progress ? t->o->progress(ep, t->o->user) : 0;
}

/* An epoch's running figures. */
typedef struct epoch_sums {
	double recon, kl, t0, shown;
	size_t stepped;         /* rows in the steps: a trimmed batch's kept */
	size_t done;            /* training rows passed */
	size_t per_epoch;       /* steps */
} epoch_sums;

/* The rows of a step: the batch's rows idx[0, n), then with labels the
 * pool's next t->extra, reshuffled each time round.  @return them, and
 * their count in *n. */
static const size_t *with_pool(trainer *t, const size_t *idx, size_t *n)
{
	if (!t->extra)
		return idx;
	memcpy(t->mixed, idx, *n * sizeof *idx);
	for (size_t i = 0; i < t->extra; i++) {
		if (t->pool_at == t->n_pool) {
			shuffle(t->pool, t->n_pool, &t->r);
			t->pool_at = 0;
		}
		t->mixed[(*n)++] = t->pool[t->pool_at++];
	}
	return t->mixed;
}

/* Steps on the rows idx[0, n) in batches, the last one short. */
static int batches(trainer *t, vae_epoch *ep, const size_t *idx, size_t n, epoch_sums *a,
                   vae_err *e)
{
	const vae_fit_opts *o = t->o;
	size_t cap = t->batch;

	for (size_t i = 0; i < n; i += cap) {
		size_t rows = n - i < cap ? n - i : cap;
		t->obj = (vi_objective){ beta_now(t, a->per_epoch), o->free_bits, 0 };
		size_t kept = o->trim > 0 ? trim_batch(t, idx + i, rows) : rows;
		const size_t *step_rows = with_pool(t, o->trim > 0 ? t->kept : idx + i, &kept);
		vi_terms s = step(t, step_rows, kept);
		a->stepped += kept;
		if (!isfinite(s.obj))
			return vi_about(e, VAE_ABOUT_STEP, vi_fail(e, VAE_ENUMERIC, NULL, 0, 0,
			                "the loss is no longer finite in epoch %u", ep->epoch));
		t->steps++;
		a->recon += s.recon;
		a->kl += s.kl;
		ep->beta = t->obj.beta;
		ep->rows_done = a->done + i + rows;
		ep->recon = a->recon / (double)a->stepped;
		ep->kl = a->kl / (double)a->stepped;
		ep->loss = ep->recon + ep->kl;
		if (now() - a->shown >= PROGRESS_EVERY) {
			a->shown = now();
			ep->seconds = a->shown - a->t0;
			report(t, ep);
		}
	}
	a->done += n;
	return 0;
}

/* ======================================================================
 * Rows on disk: an epoch a window of shuffled blocks at a time
 * ==================================================================== */

/* The validation rows: n_val row numbers drawn without replacement, in
 * ascending order (selection sampling: each row is taken with the chance
 * that leaves the right number for the rows after it). */
static void choose_held(trainer *t, size_t n)
{
	for (size_t i = 0, k = 0; k < t->n_val; i++)
		if (vae_rng_uniform(&t->r) * (double)(n - i) < (double)(t->n_val - k))
			t->held[k++] = i;
}

/* Block b's rows into t->blk.  @return its first row's number. */
static int read_block(trainer *t, size_t b, size_t *r0, vae_err *e)
{
	size_t n = vae_rows_count(t->src);

	*r0 = b * t->block;
	t->blk.rows = n - *r0 < t->block ? n - *r0 : t->block;
	return vae_rows_get(t->src, *r0, &t->blk, e);
}

/* The first validation row at or after row r: its place in t->held. */
static size_t held_from(const trainer *t, size_t r)
{
	size_t lo = 0, hi = t->n_val;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->held[mid] < r)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Block b's training rows into the window from its row *at on, or its
 * validation rows (val set) into t->val from *at on, unscaled; *at moves
 * past them.  @return 0, or VAE_EIO. */
static int take_block(trainer *t, size_t b, int val, size_t *at, vae_err *e)
{
	size_t d = t->blk.cols, r0, h;
	int rc;

	if ((rc = read_block(t, b, &r0, e)))
		return rc;
	h = held_from(t, r0);
	for (size_t i = 0; i < t->blk.rows; i++) {
		int is_held = h < t->n_val && t->held[h] == r0 + i;
		h += is_held;
		if (is_held == val) {
			vae_mat *to = val ? &t->val : &t->win;
			memcpy(to->x + *at * d, t->blk.x + i * d, d * sizeof(float));
			++*at;
		}
	}
	return 0;
}

static int stream_init(trainer *t, vae_err *e)
{
	size_t d = vae_rows_cols(t->src), at = 0;
	int rc;

	if ((rc = vae_mat_alloc(&t->win, t->win_cap, d, e)) || (rc = vae_mat_alloc(&t->blk, t->block, d, e))
	    || (rc = vae_mat_alloc(&t->val, t->n_val, d, e)))
		return rc;
	t->order = malloc(t->n_blocks * sizeof *t->order);
	t->held = malloc((t->n_val ? t->n_val : 1) * sizeof *t->held);
	if (!t->order || !t->held)
		return vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate the training state");
	for (size_t b = 0; b < t->n_blocks; b++)
		t->order[b] = b;
	choose_held(t, vae_rows_count(t->src));
	for (size_t b = 0; t->n_val && b < t->n_blocks && !rc; b++)
		rc = take_block(t, b, 1, &at, e);
	if (!rc)
		vae_model_scale(t->m, &t->val);
	return rc;
}

/* Rows [from, to) of the window into model units. */
static void scale_rows(trainer *t, size_t from, size_t to)
{
	vae_mat part = { to - from, t->win.cols, t->win.x + from * t->win.cols };

	vae_model_scale(t->m, &part);
}

/* The rows perm[0, n) of the window to its first n rows, in the order of
 * their places, so that no row is overwritten before it is copied. */
static void carry(trainer *t, size_t *perm, size_t n)
{
	size_t d = t->win.cols;

	qsort(perm, n, sizeof *perm, vi_cmp_size);
	for (size_t i = 0; i < n; i++)
		memmove(t->win.x + i * d, t->win.x + perm[i] * d, d * sizeof(float));
}

/* An epoch from rows on disk: the blocks in a shuffled order, a window of
 * them at a time; the window's training rows shuffled into batches, the
 * rows short of a whole batch carried to the next window, so that every
 * step but the epoch's last has a whole batch, as in memory. */
static int stream_epoch(trainer *t, vae_epoch *ep, epoch_sums *a, vae_err *e)
{
	size_t cap = t->batch, kept = 0, next = 0;
	int rc = 0;

	shuffle(t->order, t->n_blocks, &t->r);
	while (next < t->n_blocks && !rc) {
		size_t filled = kept;
		while (!rc && next < t->n_blocks && filled + t->block <= t->win_cap)
			rc = take_block(t, t->order[next++], 0, &filled, e);
		if (rc)
			break;
		scale_rows(t, kept, filled);
		for (size_t i = 0; i < filled; i++)
			t->perm[i] = i;
		shuffle(t->perm, filled, &t->r);
		size_t whole = next < t->n_blocks ? filled - filled % cap : filled;
		rc = batches(t, ep, t->perm, whole, a, e);
		kept = filled - whole;
		carry(t, t->perm + whole, kept);
	}
	return rc;
}

/* One pass over the training rows; ep gets its figures. */
static int epoch(trainer *t, vae_epoch *ep, vae_err *e)
{
	const vae_fit_opts *o = t->o;
	size_t *train = t->perm + t->n_val;
	epoch_sums a = { 0 };
	int rc;

	a.t0 = a.shown = now();
	a.per_epoch = (t->n_train + t->batch - 1) / t->batch;
	ep->lr = o->lr * vi_powf(o->lr_decay, (float)(ep->epoch - 1));
	t->lr = ep->lr;
	if (t->src) {
		rc = stream_epoch(t, ep, &a, e);
	} else {
		shuffle(train, t->n_train, &t->r);
		rc = batches(t, ep, train, t->n_train, &a, e);
	}
	ep->seconds = now() - a.t0;
	return rc;
}

/* Keep the weights and optimiser state of the best validation epoch. */
static void keep_best(trainer *t, vae_epoch *ep)
{
	size_t np = t->m->n_params;

	ep->best = ep->val < t->best_val;
	if (!ep->best)
		return;
	t->best_val = ep->val;
	t->best_t = t->m->adam_t;
	memcpy(t->best, t->m->params, np * sizeof(float));
	memcpy(t->best + np, t->m->adam_m, np * sizeof(float));
	memcpy(t->best + 2 * np, t->m->adam_v, np * sizeof(float));
	t->m->record.best_epoch = ep->epoch;
	t->m->record.val_loss = (float)ep->val;
}

/* params <- src, and their bf16 copy. */
static void set_params(trainer *t, const float *src)
{
	size_t np = t->m->n_params;

	memcpy(t->m->params, src, np * sizeof(float));
	vi_bf16_refresh(t->m->params, 0, np);
}

/* The average in the weights' place, for validation and for keeping;
 * the steps' weights aside, for the next epoch (raw is there only when
 * both an average and validation rows are). */
static void average_in(trainer *t)
{
	if (!t->raw)
		return;
	memcpy(t->raw, t->m->params, t->m->n_params * sizeof *t->raw);
	set_params(t, t->avg);
}

static void average_out(trainer *t)
{
	if (t->raw)
		set_params(t, t->raw);
}

static void restore_best(trainer *t)
{
	size_t np = t->m->n_params;

	if (!t->n_val || t->best_val == INFINITY)
		return;
	set_params(t, t->best);
	memcpy(t->m->adam_m, t->best + np, np * sizeof(float));
	memcpy(t->m->adam_v, t->best + 2 * np, np * sizeof(float));
	t->m->adam_t = t->best_t;
}

/* With labels, the validation rows perm[0, n_val) swapped for training
 * rows without one where there are such (a label is worth more in
 * training), and the pool made of the labelled training rows. */
static void hold_unlabelled(trainer *t)
{
	size_t n = t->n_val + t->n_train, j = t->n_val;

	if (!t->y)
		return;
	for (size_t i = 0; i < t->n_val; i++) {
		if (t->y[t->perm[i]] != t->y[t->perm[i]])
			continue;
		while (j < n && t->y[t->perm[j]] == t->y[t->perm[j]])
			j++;
		if (j == n)
			break;
		size_t s = t->perm[i];
		t->perm[i] = t->perm[j];
		t->perm[j] = s;
	}
	for (size_t i = t->n_val; t->pool && i < n; i++)
		if (t->y[t->perm[i]] == t->y[t->perm[i]])
			t->pool[t->n_pool++] = t->perm[i];
	t->pool_at = t->n_pool;         /* shuffled before its first use */
}

static int train(trainer *t, vae_err *e)
{
	vae_record *rec = &t->m->record;
	vae_epoch ep = { 0 };
	int rc = 0;

	ep.val = NAN;
	ep.epochs = t->o->epochs;
	ep.rows = t->n_train;
	ep.window = t->src ? t->win_cap : 0;
	if (!t->src) {          /* the first n_val are held out */
		shuffle(t->perm, t->n_val + t->n_train, &t->r);
		hold_unlabelled(t);
	}
	for (ep.epoch = 1; ep.epoch <= t->o->epochs && !rc; ep.epoch++) {
		ep.done = 0;
		if ((rc = epoch(t, &ep, e)))
			break;
		average_in(t);
		ep.val = validate(t);
		ep.done = 1;
		rec->epochs = ep.epoch;
		rec->final_loss = (float)ep.loss;
		rec->best_loss = ep.loss < rec->best_loss ? (float)ep.loss : rec->best_loss;
		if (t->n_val)
			keep_best(t, &ep);
		else
			rec->best_epoch = ep.epoch;
		average_out(t);
		if (report(t, &ep))
			break;
		if (t->o->patience && ep.epoch - rec->best_epoch >= t->o->patience)
			break;
	}
	return rc;
}

/* Rows on disk without validation rows: the window filled with blocks
 * spread evenly over them, scaled, for the score quantiles. */
static int spread_window(trainer *t, vae_err *e)
{
	size_t k = t->win_cap / t->block, at = 0;
	int rc = 0;

	k = k < t->n_blocks ? k : t->n_blocks;
	for (size_t i = 0; i < k && !rc; i++)
		rc = take_block(t, (size_t)((double)i * (double)t->n_blocks / (double)k), 0, &at, e);
	t->win.rows = at;
	scale_rows(t, 0, at);
	return rc;
}

/* The score quantiles, from the held-out rows when there are some: rows
 * the model did not learn from score as new rows of their kind will, so
 * that -t p99 flags about 1% of them (a conformal threshold); else from
 * the training rows (from rows on disk, a window's worth spread over
 * them). */
static int calibrate(trainer *t, vae_err *e)
{
	const vae_comm *c = t->o->comm;
	int rc;

	if (t->src && t->n_val)
		return vi_calibrate(t->m, &t->val, NULL, NULL, t->n_val, NULL, t->team, t->ctx, e);
	if (t->src)
		return (rc = spread_window(t, e)) ? rc
		     : vi_calibrate(t->m, &t->win, NULL, NULL, t->win.rows, NULL, t->team, t->ctx, e);
	if (!t->n_val)
		return vi_calibrate(t->m, t->x, t->y, NULL, t->n_train, c, t->team, t->ctx, e);
	return vi_calibrate(t->m, t->x, t->y, t->perm, t->n_val, c, t->team, t->ctx, e);
}

/* Labels y of rows rows: a model with classes, one process, rows in
 * memory, each a class or NAN. */
static int check_fit_labels(const vae_model *m, const float *y, size_t rows, int streamed,
                            const vae_fit_opts *o, vae_err *e)
{
	if (y && m->arch.n_classes && (streamed || o->comm))
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "labels train in one process, with the rows "
		               "in memory");
	return vi_check_labels(m, y, rows, e);
}

/* Both fits: the rows x in memory (labels y, or NULL), or src on disk. */
static int fit(vae_model *m, const vae_mat *x, const float *y, vae_rows *src,
               const vae_fit_opts *o, vae_err *e)
{
	const char *bad = vae_check_fit_opts(o);
	size_t rows = x ? vi_comm_rows(o->comm, x->rows) : vae_rows_count(src);
	size_t cols = x ? x->cols : vae_rows_cols(src);
	trainer t;
	int rc;

	if (bad)
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "%s", bad);
	if (src && o->comm)     /* each process holds its share in memory */
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "rows on disk train in one process");
	if (cols != m->arch.n_in)
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "the data has %zu columns, the model %zu",
		                cols, m->arch.n_in);
	if (rows == 0 || (size_t)((1.0 - o->val) * (double)rows) == 0)
		return vi_fail(e, VAE_EDATA, NULL, 0, 0, "no training rows");
	if ((rc = check_fit_labels(m, y, rows, src != NULL, o, e)) || (rc = vi_adam_state(m, e)))
		return rc;
	if (!(rc = trainer_init(&t, m, x, y, src, o, e)) && !(src && (rc = stream_init(&t, e)))) {
		m->record = (vae_record){ t.n_train, o->seed, 0, 0, o->beta, NAN, INFINITY, NAN,
		                          (uint32_t)t.batch, o->patience, o->val, o->trim, o->chosen,
		                          t.n_val > 0 };
		if (!(rc = train(&t, e))) {
			if (t.avg)      /* the last epoch's average, unless validation kept another */
				set_params(&t, t.avg);
			restore_best(&t);
			rc = calibrate(&t, e);
		}
	}
	trainer_free(&t);
	return rc;
}

int vae_fit(vae_model *m, const vae_mat *x, const vae_fit_opts *o, vae_err *e)
{
	return fit(m, x, NULL, NULL, o, e);
}

int vae_fit_labelled(vae_model *m, const vae_mat *x, const float *y, const vae_fit_opts *o,
                     vae_err *e)
{
	return fit(m, x, y, NULL, o, e);
}

int vae_fit_rows(vae_model *m, vae_rows *src, const vae_fit_opts *o, vae_err *e)
{
	return fit(m, NULL, NULL, src, o, e);
}
