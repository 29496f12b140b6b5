/* calibrate.c: the quantiles of the training rows' scores, stored in the model. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int vi_cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;

	return (x > y) - (x < y);
}

int vi_cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

/* A team's nll of rows in user units: member i uses ctx[i]. */
struct nll_scoring {
	vae_ctx **ctx;
	const vae_mat *x;
	const float *y;         /* the rows' labels, or NULL */
	float *nll;
	uint64_t seed;
};

/* nll of rows [r0, r1) of s->x (user units), as vae-score computes it */
static void nll_part(void *arg, int member, size_t r0, size_t r1)
{
	const struct nll_scoring *s = arg;
	vae_mat part = { r1 - r0, s->x->cols, s->x->x + r0 * s->x->cols };

	vae_score_labelled(s->ctx[member], &part, s->y ? s->y + r0 : NULL, VAE_METRIC_NLL,
	                   VAE_CALIBRATE_SAMPLES, s->seed, s->nll + r0, NULL);
}

/* The quantiles of n sorted scores into q[0..VAE_N_QUANTILES), by linear
 * interpolation. */
static void quantiles(float *s, size_t n, float *q)
{
	qsort(s, n, sizeof *s, vi_cmp_float);
	for (size_t i = 0; i < VAE_N_QUANTILES; i++) {
		double pos = (double)i / (VAE_N_QUANTILES - 1) * (double)(n - 1);
		size_t lo = (size_t)pos, hi = lo + 1 < n ? lo + 1 : lo;
		q[i] = (float)(s[lo] + (pos - (double)lo) * (s[hi] - s[lo]));
	}
}

/* nll of up to VAE_CALIBRATE_ROWS of the rows list[0..rows), spread over
 * them, back in user units so their draws are seeded as vae-score seeds
 * them; each process scores those it holds.  s: room for rows scores. */
static int calibrate_nll(vae_model *m, vi_team *t, vae_ctx **ctx, const vae_mat *x,
                         const float *y, const size_t *list, size_t rows, const vae_comm *c,
                         float *s, vae_err *e)
{
	size_t n = rows < VAE_CALIBRATE_ROWS ? rows : VAE_CALIBRATE_ROWS, d = x->cols, own;
	size_t *at = malloc(3 * n * sizeof *at), *place = at + n, *local = at + 2 * n;
	float *uy = y ? malloc(n * sizeof *uy) : NULL;
	vae_mat u = { 0 };
	int rc = 0;

	if (!at || (y && !uy) || (rc = vae_mat_alloc(&u, n, d, e))) {
		free(at);
		free(uy);
		return rc ? rc : vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate %zu rows", n);
	}
	for (size_t i = 0; i < n; i++) {       /* rows i R / n: spread over all R */
		size_t k = (size_t)((double)i * (double)rows / (double)n);
		at[i] = list ? list[k] : k;
	}
	own = vi_comm_own(c, at, n, place, local);
	u.rows = own;
	for (size_t i = 0; i < own; i++) {
		memcpy(u.x + i * d, x->x + local[i] * d, d * sizeof(float));
		if (uy)
			uy[i] = y[local[i]];
	}
	vae_model_unscale(m, &u);
	struct nll_scoring sc = { ctx, &u, uy, s, m->record.seed };
	vi_team_blocks(t, own, nll_part, &sc);
	vi_comm_spread(c, place, own, n, s);
	quantiles(s, n, m->quantiles + VAE_METRIC_NLL * VAE_N_QUANTILES);
	m->q_rows[VAE_METRIC_NLL] = n;
	m->q_samples[VAE_METRIC_NLL] = VAE_CALIBRATE_SAMPLES;
	vae_mat_release(&u);
	free(at);
	free(uy);
	return 0;
}

int vi_calibrate(vae_model *m, const vae_mat *x, const float *y, const size_t *list, size_t n,
                 const vae_comm *c, vi_team *t, vae_ctx **ctx, vae_err *e)
{
	float *s = malloc(2 * (n ? n : 1) * sizeof *s);
	size_t *scratch = malloc(2 * (n ? n : 1) * sizeof *scratch);
	int rc = 0;

	if (!s || !scratch) {
		free(s);
		free(scratch);
		return vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate scores for %zu rows", n);
	}
	if (n)          /* recon and elbo in one pass */
		vi_comm_score(t, ctx, x, y, c, list, n, s, s + n, scratch);
	for (int metric = VAE_METRIC_RECON; metric <= VAE_METRIC_ELBO && n; metric++) {
		quantiles(s + (metric == VAE_METRIC_ELBO ? n : 0), n, m->quantiles + metric * VAE_N_QUANTILES);
		m->q_rows[metric] = n;
		m->q_samples[metric] = 0;
	}
	m->q_rows[VAE_METRIC_NLL] = 0;
	for (size_t i = 0; i < VAE_N_QUANTILES; i++)
		m->quantiles[VAE_METRIC_NLL * VAE_N_QUANTILES + i] = NAN;
	if (n && !m->arch.autoencoder)
		rc = calibrate_nll(m, t, ctx, x, y, list, n, c, s, e);
	m->has_quantiles = n > 0 && !rc;
	free(s);
	free(scratch);
	return rc;
}
