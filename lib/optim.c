/* optim.c: minibatch Adam on the negative ELBO, and the training loop. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

#define ADAM_B1 0.9f
#define ADAM_B2 0.999f
#define ADAM_EPS 1e-8f
#define PROGRESS_EVERY 0.25     /* seconds between progress calls in an epoch */

vae_fit_opts vae_fit_defaults(void)
{
	vae_fit_opts o = { 0 };

	o.epochs = 50;
	o.batch = 128;
	o.lr = 1e-3f;
	o.beta = 1.0f;
	o.seed = 1;
	o.lr_decay = 1.0f;
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
	return NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ======================================================================
 * Adam, as torch.optim.Adam
 * ==================================================================== */

/* Optimiser state: continue the model's when it has one (a resumed fit). */
static int adam_state(vae_model *m, vae_err *e)
{
	if (m->adam_m && m->adam_v)
		return 0;
	free(m->adam_m);
	free(m->adam_v);
	m->adam_t = 0;
	m->adam_m = calloc(m->n_params, sizeof(float));
	m->adam_v = calloc(m->n_params, sizeof(float));
	if (!m->adam_m || !m->adam_v)
		return vae_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate the optimiser state");
	return 0;
}

struct adam {
	float *p, *am, *av;
	const float *g;
	float step, rbc2;
};

/* p -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps) for parameters [lo, hi) */
VAE_VECTOR static void adam_range(void *ctx, size_t lo, size_t hi)
{
	const struct adam *a = ctx;
	float *p = a->p, *am = a->am, *av = a->av;
	const float *g = a->g;

	for (size_t i = lo; i < hi; i++) {
		am[i] = ADAM_B1 * am[i] + (1 - ADAM_B1) * g[i];
		av[i] = ADAM_B2 * av[i] + (1 - ADAM_B2) * g[i] * g[i];
		p[i] -= a->step * am[i] / (sqrtf(av[i]) * a->rbc2 + ADAM_EPS);
	}
}

static void adam_step(vae_model *m, const float *g, float lr)
{
	uint64_t t = ++m->adam_t;
	struct adam a = { m->params, m->adam_m, m->adam_v, g,
	                  lr / (1.0f - powf(ADAM_B1, (float)t)),
	                  1.0f / sqrtf(1.0f - powf(ADAM_B2, (float)t)) };

	adam_range(&a, 0, m->n_params);
}

/* Rescale g to norm at most clip. */
static void clip_gradient(float *g, size_t n, float clip)
{
	double ss = 0;

	for (size_t i = 0; i < n; i++)
		ss += (double)g[i] * g[i];
	if (clip > 0 && ss > (double)clip * clip) {
		float f = (float)(clip / sqrt(ss));
		for (size_t i = 0; i < n; i++)
			g[i] *= f;
	}
}

/* ======================================================================
 * One fit's state
 * ==================================================================== */

typedef struct trainer {
	vae_model *m;
	const vae_mat *x;
	const vae_fit_opts *o;
	vae_ctx *c;
	float *g, *score;
	size_t *perm;           /* [0, n_val): validation rows; then the training rows */
	size_t n_val, n_train;
	uint64_t steps;         /* Adam steps taken in this fit */
	vae_rng r;
	float *best;            /* params, adam m and v of the best epoch */
	uint64_t best_t;
	double best_val;
} trainer;

static void trainer_free(trainer *t)
{
	vae_ctx_free(t->c);
	free(t->g);
	free(t->score);
	free(t->perm);
	free(t->best);
}

static int trainer_init(trainer *t, vae_model *m, const vae_mat *x, const vae_fit_opts *o,
                        vae_err *e)
{
	size_t n = x->rows, np = m->n_params;

	memset(t, 0, sizeof *t);
	t->m = m;
	t->x = x;
	t->o = o;
	t->n_val = (size_t)((double)o->val * (double)n);
	t->n_train = n - t->n_val;
	t->best_val = INFINITY;
	vae_rng_seed(&t->r, o->seed);
	t->perm = malloc(n * sizeof *t->perm);
	t->g = malloc(np * sizeof *t->g);
	t->score = malloc((t->n_val ? t->n_val : 1) * sizeof *t->score);
	t->best = t->n_val ? malloc(3 * np * sizeof *t->best) : NULL;
	t->c = vae_ctx_new(m, o->batch < t->n_train ? o->batch : t->n_train, e);
	if (!t->c)
		return VAE_ENOMEM;
	if (!t->perm || !t->g || !t->score || (t->n_val && !t->best))
		return vae_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate the training state");
	for (size_t i = 0; i < n; i++)
		t->perm[i] = i;
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

/* Gather rows idx[0..rows) into c->x, draw their eps, and for a denoising
 * fit corrupt a copy for the encoder. */
static void load_batch(trainer *t, const size_t *idx, size_t rows)
{
	vae_ctx *c = t->c;
	size_t d = t->x->cols, k = t->m->arch.n_latent;

	for (size_t i = 0; i < rows; i++)
		memcpy(c->x + i * d, t->x->x + idx[i] * d, d * sizeof(float));
	for (size_t i = 0; i < rows * k; i++)
		c->eps[i] = vae_rng_normal(&t->r);
	c->noisy = t->o->noise > 0 || t->o->mask > 0;
	for (size_t i = 0; c->noisy && i < rows * d; i++) {
		float v = c->x[i];
		if (t->o->mask > 0 && vae_rng_uniform(&t->r) < t->o->mask)
			v = 0;
		if (t->o->noise > 0)
			v += t->o->noise * vae_rng_normal(&t->r);
		c->xn[i] = v;
	}
}

/* ======================================================================
 * Epochs
 * ==================================================================== */

/* beta rises linearly over the first warmup epochs, step by step. */
static float beta_now(const trainer *t, size_t steps_per_epoch)
{
	double ramp = (double)t->o->warmup * (double)steps_per_epoch;

	return ramp > 0 && (double)t->steps < ramp ? t->o->beta * (float)((double)t->steps / ramp)
	                                           : t->o->beta;
}

/* The validation rows' mean -ELBO at z = mu (an autoencoder's: recon). */
static double validate(trainer *t)
{
	double s = 0;

	if (!t->n_val)
		return NAN;
	vae_score_rows(t->c, t->x, t->perm, t->n_val, NULL, t->score);
	for (size_t i = 0; i < t->n_val; i++)
		s += t->score[i];
	return s / (double)t->n_val;
}

static int report(const trainer *t, const vae_epoch *ep)
{
	return t->o->progress ? t->o->progress(ep, t->o->user) : 0;
}

/* One pass over the training rows; ep gets its figures. */
static int epoch(trainer *t, vae_epoch *ep, vae_err *e)
{
	const vae_fit_opts *o = t->o;
	size_t *train = t->perm + t->n_val, cap = t->c->cap;
	size_t per_epoch = (t->n_train + cap - 1) / cap;
	double recon = 0, kl = 0, t0 = now(), shown = t0;

	ep->lr = o->lr * powf(o->lr_decay, (float)(ep->epoch - 1));
	shuffle(train, t->n_train, &t->r);
	for (size_t i = 0; i < t->n_train; i += cap) {
		size_t rows = t->n_train - i < cap ? t->n_train - i : cap;
		vae_objective obj = { beta_now(t, per_epoch), o->free_bits };
		load_batch(t, train + i, rows);
		vae_terms s = vae_elbo(t->c, t->m->params, t->g, rows, &obj);
		if (!isfinite(s.obj))
			return vae_fail(e, VAE_ENUMERIC, NULL, 0, 0, "the loss is no longer finite in "
			                "epoch %u (try a smaller --lr or --clip)", ep->epoch);
		clip_gradient(t->g, t->m->n_params, o->clip);
		adam_step(t->m, t->g, ep->lr);
		t->steps++;
		recon += s.recon;
		kl += s.kl;
		ep->beta = obj.beta;
		ep->rows_done = i + rows;
		ep->recon = recon / (double)ep->rows_done;
		ep->kl = kl / (double)ep->rows_done;
		ep->loss = ep->recon + ep->kl;
		if (now() - shown >= PROGRESS_EVERY) {
			shown = now();
			ep->seconds = shown - t0;
			report(t, ep);
		}
	}
	ep->seconds = now() - t0;
	return 0;
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

static void restore_best(trainer *t)
{
	size_t np = t->m->n_params;

	if (!t->n_val || t->best_val == INFINITY)
		return;
	memcpy(t->m->params, t->best, np * sizeof(float));
	memcpy(t->m->adam_m, t->best + np, np * sizeof(float));
	memcpy(t->m->adam_v, t->best + 2 * np, np * sizeof(float));
	t->m->adam_t = t->best_t;
}

static int train(trainer *t, vae_err *e)
{
	vae_record *rec = &t->m->record;
	vae_epoch ep = { 0 };
	int rc = 0;

	ep.val = NAN;
	ep.epochs = t->o->epochs;
	ep.rows = t->n_train;
	shuffle(t->perm, t->x->rows, &t->r);    /* the first n_val are held out */
	for (ep.epoch = 1; ep.epoch <= t->o->epochs && !rc; ep.epoch++) {
		ep.done = 0;
		if ((rc = epoch(t, &ep, e)))
			break;
		ep.val = validate(t);
		ep.done = 1;
		rec->epochs = ep.epoch;
		rec->final_loss = (float)ep.loss;
		rec->best_loss = ep.loss < rec->best_loss ? (float)ep.loss : rec->best_loss;
		if (t->n_val)
			keep_best(t, &ep);
		else
			rec->best_epoch = ep.epoch;
		if (report(t, &ep))
			break;
		if (t->o->patience && ep.epoch - rec->best_epoch >= t->o->patience)
			break;
	}
	return rc;
}

int vae_fit(vae_model *m, const vae_mat *x, const vae_fit_opts *o, vae_err *e)
{
	const char *bad = vae_check_fit_opts(o);
	trainer t;
	int rc;

	if (bad)
		return vae_fail(e, VAE_EPARAM, NULL, 0, 0, "%s", bad);
	if (x->cols != m->arch.n_in)
		return vae_fail(e, VAE_EPARAM, NULL, 0, 0, "the data has %zu columns, the model %zu",
		                x->cols, m->arch.n_in);
	if (x->rows == 0 || (size_t)((1.0 - o->val) * (double)x->rows) == 0)
		return vae_fail(e, VAE_EDATA, NULL, 0, 0, "no training rows");
	if ((rc = adam_state(m, e)))
		return rc;
	if (!(rc = trainer_init(&t, m, x, o, e))) {
		m->record = (vae_record){ t.n_train, o->seed, 0, 0, o->beta, NAN, INFINITY, NAN };
		if (!(rc = train(&t, e))) {
			restore_best(&t);
			rc = vae_calibrate(m, x, e);
		}
	}
	trainer_free(&t);
	return rc;
}
