/* optim.c: minibatch Adam on the negative ELBO, and the training loop. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

#define ADAM_B1 0.9f
#define ADAM_B2 0.999f
#define ADAM_EPS 1e-8f

vae_fit_opts vae_fit_defaults(void)
{
	vae_fit_opts o = { 0 };

	o.epochs = 50;
	o.batch = 128;
	o.lr = 1e-3f;
	o.beta = 1.0f;
	o.seed = 1;
	return o;
}

const char *vae_check_fit_opts(const vae_fit_opts *o)
{
	if (o->epochs == 0)
		return "the number of epochs is 0";
	if (o->batch == 0)
		return "the batch size is 0";
	if (!(o->lr > 0) || !isfinite(o->lr))
		return "the learning rate is not a positive number";
	if (!(o->beta >= 0) || !isfinite(o->beta))
		return "beta is not a non-negative number";
	return NULL;
}

/* One Adam step, as torch.optim.Adam: p -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps). */
static void adam_step(vae_model *m, const float *g, float lr)
{
	float *p = m->params, *am = m->adam_m, *av = m->adam_v;
	uint64_t t = ++m->adam_t;
	float step = lr / (1.0f - powf(ADAM_B1, (float)t));
	float rbc2 = 1.0f / sqrtf(1.0f - powf(ADAM_B2, (float)t));

	for (size_t i = 0; i < m->n_params; i++) {
		am[i] = ADAM_B1 * am[i] + (1 - ADAM_B1) * g[i];
		av[i] = ADAM_B2 * av[i] + (1 - ADAM_B2) * g[i] * g[i];
		p[i] -= step * am[i] / (sqrtf(av[i]) * rbc2 + ADAM_EPS);
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Fisher-Yates over the row order. */
static void shuffle(size_t *perm, size_t n, vae_rng *r)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)(vae_rng_uniform(r) * (double)i), t = perm[i - 1];
		perm[i - 1] = perm[j];
		perm[j] = t;
	}
}

/* Gather rows perm[0..rows) into c->x and draw their eps. */
static void load_batch(vae_ctx *c, const vae_mat *x, const size_t *perm, size_t rows,
                       vae_rng *r)
{
	size_t d = x->cols, k = c->m->arch.n_latent;

	for (size_t i = 0; i < rows; i++)
		memcpy(c->x + i * d, x->x + perm[i] * d, d * sizeof(float));
	for (size_t i = 0; i < rows * k; i++)
		c->eps[i] = vae_rng_normal(r);
}

/* Optimiser state: continue the model's when it has one. */
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

/* One pass over the data; *ep gets the epoch's means. */
static int epoch(vae_model *m, vae_ctx *c, const vae_mat *x, size_t *perm, float *g,
                 const vae_fit_opts *o, vae_rng *r, vae_epoch *ep, vae_err *e)
{
	size_t n = x->rows;
	double recon = 0, kl = 0, t0 = now();

	shuffle(perm, n, r);
	for (size_t i = 0; i < n; i += c->cap) {
		size_t rows = n - i < c->cap ? n - i : c->cap;
		load_batch(c, x, perm + i, rows, r);
		vae_terms t = vae_elbo(c, m->params, g, rows, o->beta);
		if (!isfinite(t.recon) || !isfinite(t.kl))
			return vae_fail(e, VAE_ENUMERIC, NULL, 0, 0,
			                "the loss is no longer finite in epoch %u (try a smaller --lr)",
			                ep->epoch);
		adam_step(m, g, o->lr);
		recon += t.recon;
		kl += t.kl;
	}
	ep->recon = recon / (double)n;
	ep->kl = kl / (double)n;
	ep->loss = ep->recon + o->beta * ep->kl;
	ep->seconds = now() - t0;
	return 0;
}

int vae_fit(vae_model *m, const vae_mat *x, const vae_fit_opts *o, vae_err *e)
{
	const char *bad = vae_check_fit_opts(o);
	size_t n = x->rows, *perm = NULL;
	float *g = NULL;
	vae_ctx *c = NULL;
	vae_rng r;
	vae_epoch ep = { 0, o->epochs, x->rows, 0, 0, 0, 0 };
	int rc = 0;

	if (bad)
		return vae_fail(e, VAE_EPARAM, NULL, 0, 0, "%s", bad);
	if (x->cols != m->arch.n_in)
		return vae_fail(e, VAE_EPARAM, NULL, 0, 0, "the data has %zu columns, the model %zu",
		                x->cols, m->arch.n_in);
	if (n == 0)
		return vae_fail(e, VAE_EDATA, NULL, 0, 0, "no training rows");
	if ((rc = adam_state(m, e)))
		return rc;
	perm = malloc(n * sizeof *perm);
	g = malloc(m->n_params * sizeof *g);
	c = vae_ctx_new(m, o->batch < n ? o->batch : n, e);
	if (!perm || !g || !c) {
		rc = c ? vae_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate %zu row indices", n) : VAE_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		perm[i] = i;
	vae_rng_seed(&r, o->seed);
	m->record = (vae_record){ n, o->seed, 0, o->beta, NAN, INFINITY };
	for (ep.epoch = 1; ep.epoch <= o->epochs; ep.epoch++) {
		if ((rc = epoch(m, c, x, perm, g, o, &r, &ep, e)))
			break;
		m->record.epochs = ep.epoch;
		m->record.final_loss = (float)ep.loss;
		if (ep.loss < m->record.best_loss)
			m->record.best_loss = (float)ep.loss;
		if (o->progress && o->progress(&ep, o->user))
			break;
	}
	if (!rc)
		rc = vae_calibrate(m, x, e);
out:
	vae_ctx_free(c);
	free(perm);
	free(g);
	return rc;
}
