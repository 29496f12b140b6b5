/* vae.c: the ELBO, its likelihoods and KL, and encoding, decoding, scoring. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define LOG_2PI 1.8378770664093453
#define LOG_2 0.6931471805599453

static float clampf(float v, float lo, float hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* ======================================================================
 * Work buffers
 * ==================================================================== */

vae_ctx *vae_ctx_new(const vae_model *m, size_t max_rows, vae_err *e)
{
	vae_ctx *c = calloc(1, sizeof *c);
	size_t k = m->arch.n_latent, d = m->arch.n_in;
	size_t n = max_rows > VAE_BLOCK ? max_rows : VAE_BLOCK;   /* inference pads to a block */

	if (!c)
		goto nomem;
	c->m = m;
	c->cap = n;
	if (vae_trace_alloc(&c->et, &m->enc, n) || vae_trace_alloc(&c->dt, &m->dec, n))
		goto nomem;
	c->x = malloc(n * d * sizeof(float));
	c->eps = malloc(n * k * sizeof(float));
	c->z = malloc(n * k * sizeof(float));
	c->dz = malloc(n * k * sizeof(float));
	c->dh = malloc(n * 2 * k * sizeof(float));
	c->dout = malloc(n * d * sizeof(float));
	c->row = malloc(n * sizeof(float));
	if (c->x && c->eps && c->z && c->dz && c->dh && c->dout && c->row)
		return c;
nomem:
	vae_ctx_free(c);
	vae_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate work buffers for %zu rows", n);
	return NULL;
}

void vae_ctx_free(vae_ctx *c)
{
	if (!c)
		return;
	vae_trace_release(&c->et, &c->m->enc);
	vae_trace_release(&c->dt, &c->m->dec);
	free(c->x);
	free(c->eps);
	free(c->z);
	free(c->dz);
	free(c->dh);
	free(c->dout);
	free(c->row);
	free(c);
}

/* ======================================================================
 * -log p(x | decoder output), per likelihood
 * ==================================================================== */

/* Bernoulli on logits l: -log p = softplus(l) - x l;  d/dl = sigmoid(l) - x */
static double nll_bernoulli(size_t n, const float *x, const float *l, float *d, float w)
{
	double s = 0;

	for (size_t j = 0; j < n; j++) {
		float a = fabsf(l[j]), sp = (l[j] > 0 ? l[j] : 0) + log1pf(expf(-a));
		s += sp - x[j] * l[j];
		if (d)
			d[j] = w * (1.0f / (1.0f + expf(-l[j])) - x[j]);
	}
	return s;
}

/* Gaussian, mean m, per-column log-variance v:
 * -log p = (log 2pi + v + (x - m)^2 e^-v) / 2;  d/dm = (m - x) e^-v */
static double nll_gaussian(size_t n, const float *x, const float *m, const float *lv,
                           float *d, float *gv, float w)
{
	double s = 0;

	for (size_t j = 0; j < n; j++) {
		float v = clampf(lv[j], VAE_OBS_LOGSCALE_MIN, VAE_OBS_LOGSCALE_MAX);
		float r = x[j] - m[j], ie = expf(-v);
		s += 0.5 * (LOG_2PI + v + r * r * ie);
		if (d) {
			d[j] = -w * r * ie;
			if (v == lv[j])         /* d/dv = (1 - (x - m)^2 e^-v) / 2 */
				gv[j] += w * 0.5f * (1 - r * r * ie);
		}
	}
	return s;
}

/* Laplace, mean m, per-column log-scale b:
 * -log p = log 2 + b + |x - m| e^-b;  d/dm = sign(m - x) e^-b */
static double nll_laplace(size_t n, const float *x, const float *m, const float *lb,
                          float *d, float *gb, float w)
{
	double s = 0;

	for (size_t j = 0; j < n; j++) {
		float b = clampf(lb[j], VAE_OBS_LOGSCALE_MIN, VAE_OBS_LOGSCALE_MAX);
		float r = x[j] - m[j], ie = expf(-b);
		s += LOG_2 + b + fabsf(r) * ie;
		if (d) {
			d[j] = w * (r > 0 ? -ie : r < 0 ? ie : 0);
			if (b == lb[j])         /* d/db = 1 - |x - m| e^-b */
				gb[j] += w * (1 - fabsf(r) * ie);
		}
	}
	return s;
}

double vae_nll_obs(const vae_model *m, const float *p, float *g, const float *x,
                   const float *out, size_t rows, float *row, float *d, float w)
{
	size_t n = m->arch.n_in;
	const float *ls = p + m->obs;
	float *gls = g && d && m->arch.likelihood != VAE_BERNOULLI ? g + m->obs : NULL;
	double sum = 0;

	if (gls)
		memset(gls, 0, n * sizeof *gls);
	for (size_t r = 0; r < rows; r++) {
		const float *xr = x + r * n, *o = out + r * n;
		float *dr = d ? d + r * n : NULL;
		double s = 0;
		switch (m->arch.likelihood) {
		case VAE_BERNOULLI: s = nll_bernoulli(n, xr, o, dr, w); break;
		case VAE_GAUSSIAN: s = nll_gaussian(n, xr, o, ls, dr, gls, w); break;
		case VAE_LAPLACE: s = nll_laplace(n, xr, o, ls, dr, gls, w); break;
		}
		if (row)
			row[r] = (float)s;
		sum += s;
	}
	return sum;
}

/* ======================================================================
 * The negative ELBO over a batch, forward and backward
 * ==================================================================== */

/* z = mu + e^(lv/2) eps from the encoder output h (rows x 2k: mu, logvar);
 * row[r] += KL(N(mu, e^lv) || N(0, 1)) = sum (mu^2 + e^lv - 1 - lv) / 2. */
static double reparameterize(const float *h, const float *eps, float *z, float *kl_row,
                             size_t rows, size_t k)
{
	double kl = 0;

	for (size_t r = 0; r < rows; r++) {
		const float *mu = h + r * 2 * k, *lv = mu + k;
		double s = 0;
		for (size_t j = 0; j < k; j++) {
			float v = clampf(lv[j], VAE_LOGVAR_MIN, VAE_LOGVAR_MAX), e = expf(v);
			z[r * k + j] = eps ? mu[j] + sqrtf(e) * eps[r * k + j] : mu[j];
			s += 0.5 * (mu[j] * mu[j] + e - 1 - v);
		}
		if (kl_row)
			kl_row[r] = (float)s;
		kl += s;
	}
	return kl;
}

/* dh (rows x 2k) from dz and the KL term's gradient, weighted by beta w. */
static void reparameterize_backward(const float *h, const float *eps, const float *dz,
                                    float *dh, size_t rows, size_t k, float bw)
{
	for (size_t r = 0; r < rows; r++) {
		const float *mu = h + r * 2 * k, *lv = mu + k;
		float *dmu = dh + r * 2 * k, *dlv = dmu + k;
		for (size_t j = 0; j < k; j++) {
			float v = clampf(lv[j], VAE_LOGVAR_MIN, VAE_LOGVAR_MAX), e = expf(v);
			float g = dz[r * k + j];
			dmu[j] = g + bw * mu[j];                            /* dz/dmu = 1 */
			dlv[j] = v != lv[j] ? 0                              /* dz/dlv = eps s / 2 */
			       : g * eps[r * k + j] * 0.5f * sqrtf(e) + bw * 0.5f * (e - 1);
		}
	}
}

vae_terms vae_elbo(vae_ctx *c, const float *p, float *g, size_t rows, float beta)
{
	const vae_model *m = c->m;
	size_t k = m->arch.n_latent;
	float w = 1.0f / (float)rows;
	vae_terms t;
	float *h, *out;

	h = vae_mlp_forward(&m->enc, p, c->x, rows, &c->et);
	t.kl = reparameterize(h, c->eps, c->z, NULL, rows, k);
	out = vae_mlp_forward(&m->dec, p, c->z, rows, &c->dt);
	t.recon = vae_nll_obs(m, p, g, c->x, out, rows, NULL, g ? c->dout : NULL, w);
	if (!g)
		return t;
	vae_mlp_backward(&m->dec, p, g, c->z, rows, &c->dt, c->dout, c->dz);
	reparameterize_backward(h, c->eps, c->dz, c->dh, rows, k, beta * w);
	vae_mlp_backward(&m->enc, p, g, c->x, rows, &c->et, c->dh, NULL);
	return t;
}

/* ======================================================================
 * Inference in user units, VAE_BLOCK rows at a time
 * ==================================================================== */

static int check_cols(const vae_mat *a, size_t cols, const char *what, vae_err *e)
{
	if (a->cols != cols)
		return vae_fail(e, VAE_EPARAM, NULL, 0, 0, "%s has %zu columns, the model expects %zu",
		                what, a->cols, cols);
	return 0;
}

/* Copy rows [r0, r0 + m) of src (cols wide) into dst, zeros after them. */
static void load_block(float *dst, const float *src, size_t r0, size_t m, size_t cols)
{
	memcpy(dst, src + r0 * cols, m * cols * sizeof(float));
	memset(dst + m * cols, 0, (VAE_BLOCK - m) * cols * sizeof(float));
}

/* Rows [r0, r0 + m) of x (user units) into c->x in model units, padded. */
static void load_scaled(vae_ctx *c, const vae_mat *x, size_t r0, size_t m)
{
	vae_mat s = { m, x->cols, c->x };

	load_block(c->x, x->x, r0, m, x->cols);
	vae_model_scale(c->m, &s);
}

/* The encoder output h (mu, logvar) of rows [r0, r0 + m) into mu, logvar. */
static void put_codes(const vae_ctx *c, const float *h, const vae_mat *x, size_t r0, size_t m,
                      vae_mat *mu, vae_mat *logvar, int sample, uint64_t seed)
{
	size_t k = c->m->arch.n_latent;

	for (size_t i = 0; i < m; i++) {
		const float *hm = h + i * 2 * k, *hv = hm + k;
		size_t r = r0 + i;
		vae_rng rng;
		if (sample)
			vae_rng_seed_row(&rng, seed, x->x + r * x->cols, x->cols);
		for (size_t j = 0; j < k; j++) {
			float v = clampf(hv[j], VAE_LOGVAR_MIN, VAE_LOGVAR_MAX);
			mu->x[r * k + j] = sample ? hm[j] + expf(0.5f * v) * vae_rng_normal(&rng) : hm[j];
			if (logvar)
				logvar->x[r * k + j] = v;
		}
	}
}

int vae_encode(vae_ctx *c, const vae_mat *x, vae_mat *mu, vae_mat *logvar,
               int sample, uint64_t seed, vae_err *e)
{
	int rc = check_cols(x, c->m->arch.n_in, "the input", e);

	for (size_t r0 = 0; !rc && r0 < x->rows; r0 += VAE_BLOCK) {
		size_t m = x->rows - r0 < VAE_BLOCK ? x->rows - r0 : VAE_BLOCK;
		load_scaled(c, x, r0, m);
		float *h = vae_mlp_forward(&c->m->enc, c->m->params, c->x, VAE_BLOCK, &c->et);
		put_codes(c, h, x, r0, m, mu, logvar, sample, seed);
	}
	mu->rows = x->rows;
	if (logvar)
		logvar->rows = x->rows;
	return rc;
}

/* One draw from p(x | decoder output o) for column j, in model units. */
static float draw_obs(const vae_model *m, float o, size_t j, vae_rng *r)
{
	const float *ls = m->params + m->obs;
	float s, u;

	switch (m->arch.likelihood) {
	case VAE_BERNOULLI:
		return vae_rng_uniform(r) < 1.0 / (1.0 + exp(-o)) ? 1.0f : 0.0f;
	case VAE_GAUSSIAN:
		s = expf(0.5f * clampf(ls[j], VAE_OBS_LOGSCALE_MIN, VAE_OBS_LOGSCALE_MAX));
		return o + s * vae_rng_normal(r);
	default:                        /* Laplace by inversion */
		s = expf(clampf(ls[j], VAE_OBS_LOGSCALE_MIN, VAE_OBS_LOGSCALE_MAX));
		u = (float)vae_rng_uniform(r) - 0.5f;
		return o - s * (u < 0 ? -1.0f : 1.0f) * log1pf(-2.0f * fabsf(u));
	}
}

/* Decoder output o of codes z (m rows) to rows [r0, r0 + m) of out: the
 * mean, or a draw from the stream or seeded by each code, in user units. */
static void finish_decode(const vae_model *m, const float *o, const float *z, vae_mat *out,
                          size_t r0, size_t rows, int sample, uint64_t seed, vae_rng *stream)
{
	size_t n = m->arch.n_in, k = m->arch.n_latent;
	vae_mat part = { rows, n, out->x + r0 * n };

	for (size_t r = 0; r < rows; r++) {
		vae_rng rng, *rr = stream;
		if (sample && !stream) {
			vae_rng_seed_row(&rng, seed, z + r * k, k);
			rr = &rng;
		}
		for (size_t j = 0; j < n; j++) {
			float v = o[r * n + j];
			if (sample)
				v = draw_obs(m, v, j, rr);
			else if (m->arch.likelihood == VAE_BERNOULLI)
				v = 1.0f / (1.0f + expf(-v));
			part.x[r * n + j] = v;
		}
	}
	vae_model_unscale(m, &part);
}

int vae_decode(vae_ctx *c, const vae_mat *z, vae_mat *out, int sample, uint64_t seed,
               vae_err *e)
{
	int rc = check_cols(z, c->m->arch.n_latent, "the latent input", e);

	for (size_t r0 = 0; !rc && r0 < z->rows; r0 += VAE_BLOCK) {
		size_t m = z->rows - r0 < VAE_BLOCK ? z->rows - r0 : VAE_BLOCK;
		load_block(c->z, z->x, r0, m, z->cols);
		float *o = vae_mlp_forward(&c->m->dec, c->m->params, c->z, VAE_BLOCK, &c->dt);
		finish_decode(c->m, o, c->z, out, r0, m, sample, seed, NULL);
	}
	out->rows = z->rows;
	return rc;
}

int vae_sample(vae_ctx *c, vae_rng *r, vae_mat *out, int sample_x, vae_err *e)
{
	size_t k = c->m->arch.n_latent;
	int rc = check_cols(out, c->m->arch.n_in, "the output", e);

	for (size_t r0 = 0; !rc && r0 < out->rows; r0 += VAE_BLOCK) {
		size_t m = out->rows - r0 < VAE_BLOCK ? out->rows - r0 : VAE_BLOCK;
		for (size_t i = 0; i < VAE_BLOCK * k; i++)
			c->z[i] = i < m * k ? vae_rng_normal(r) : 0;
		float *o = vae_mlp_forward(&c->m->dec, c->m->params, c->z, VAE_BLOCK, &c->dt);
		finish_decode(c->m, o, c->z, out, r0, m, sample_x, 0, r);
	}
	return rc;
}

/* Scores of the block in c->x (model units, padded) into score[0..m). */
static void score_block(vae_ctx *c, size_t m, int metric, float *score)
{
	const vae_model *mod = c->m;
	float *h, *out;

	h = vae_mlp_forward(&mod->enc, mod->params, c->x, VAE_BLOCK, &c->et);
	reparameterize(h, NULL, c->z, c->row, VAE_BLOCK, mod->arch.n_latent);
	out = vae_mlp_forward(&mod->dec, mod->params, c->z, VAE_BLOCK, &c->dt);
	vae_nll_obs(mod, mod->params, NULL, c->x, out, m, score, NULL, 0);
	if (metric == VAE_METRIC_ELBO)
		for (size_t r = 0; r < m; r++)
			score[r] += c->row[r];
}

int vae_score(vae_ctx *c, const vae_mat *x, int metric, float *score, vae_err *e)
{
	int rc = check_cols(x, c->m->arch.n_in, "the input", e);

	if (metric < 0 || metric >= VAE_N_METRICS)
		return vae_fail(e, VAE_EPARAM, NULL, 0, 0, "unknown metric %d", metric);
	for (size_t r0 = 0; !rc && r0 < x->rows; r0 += VAE_BLOCK) {
		size_t m = x->rows - r0 < VAE_BLOCK ? x->rows - r0 : VAE_BLOCK;
		load_scaled(c, x, r0, m);
		score_block(c, m, metric, score + r0);
	}
	return rc;
}

/* ======================================================================
 * Calibration: quantiles of the training rows' scores
 * ==================================================================== */

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;

	return (x > y) - (x < y);
}

int vae_calibrate(vae_model *m, const vae_mat *x, vae_err *e)
{
	size_t n = x->rows, d = m->arch.n_in;
	float *s = malloc((n ? n : 1) * sizeof *s);
	vae_ctx *c = s ? vae_ctx_new(m, VAE_BLOCK, e) : NULL;

	if (!c) {
		free(s);
		return vae_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate scores for %zu rows", n);
	}
	for (int metric = 0; metric < VAE_N_METRICS && n; metric++) {
		for (size_t i = 0; i < n; i += VAE_BLOCK) {   /* as vae_score does it */
			size_t rows = n - i < VAE_BLOCK ? n - i : VAE_BLOCK;
			load_block(c->x, x->x, i, rows, d);
			score_block(c, rows, metric, s + i);
		}
		qsort(s, n, sizeof *s, cmp_float);
		for (size_t q = 0; q < VAE_N_QUANTILES; q++) {   /* linear interpolation */
			double pos = (double)q / (VAE_N_QUANTILES - 1) * (double)(n - 1);
			size_t lo = (size_t)pos, hi = lo + 1 < n ? lo + 1 : lo;
			m->quantiles[metric * VAE_N_QUANTILES + q] =
				(float)(s[lo] + (pos - (double)lo) * (s[hi] - s[lo]));
		}
	}
	m->has_quantiles = n > 0;
	vae_ctx_free(c);
	free(s);
	return 0;
}
