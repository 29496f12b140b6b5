/* likelihood.c: -log p(x | decoder output) and its gradient, per likelihood.
 * The one file built with -ffast-math (but for its portable twin, below):
 * its loops then go through glibc's
 * vector expf and logf (libmvec), which made the Bernoulli term a third of
 * an epoch when scalar.  Nothing here tests for NaN, which fast math
 * assumes away; sums may be reordered, the same way on every run. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "internal.h"

/* Built twice: as lib/likelihood.o with fast math, and with
 * VI_PORTABLE_BUILD as lib/likelihood_portable.o, without it, without
 * clones, with the library's own exp and log, each function's name given
 * the suffix _portable.  One source, so the two modes compute the same
 * formulas and cannot drift apart. */
#ifdef VI_PORTABLE_BUILD
#define NAMED(f) f##_portable
#define EXPF(x) ((float)vi_p_expf(x))
#define LOGF(x) ((float)vi_p_logf(x))
#undef VI_VECTOR
#define VI_VECTOR
#else
#define NAMED(f) f
#define EXPF expf
#define LOGF logf
#endif

#define LOG_2PI 1.8378770664093453f
#define LOG_2 0.6931471805599453f

static float clampf(float v, float lo, float hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Bernoulli on logits l: -log p = softplus(l) - x l;  d/dl = sigmoid(l) - x,
 * both from e = exp(-|l|) so nothing overflows.  log(1 + e) rather than
 * log1p(e): e is in (0, 1], so it differs only below 2^-24, by less than
 * 6e-8 nats, and the vector logf is the cheaper call. */
VI_VECTOR static double nll_bernoulli(size_t n, const float *restrict x, const float *restrict l,
                            float *restrict d, float w)
{
	double s = 0;

	if (!d) {
		for (size_t j = 0; j < n; j++)
			s += fmaxf(l[j], 0) + LOGF(1 + EXPF(-fabsf(l[j]))) - x[j] * l[j];
		return s;
	}
	for (size_t j = 0; j < n; j++) {
		float e = EXPF(-fabsf(l[j])), r = 1 / (1 + e);
		s += fmaxf(l[j], 0) + LOGF(1 + e) - x[j] * l[j];
		d[j] = w * ((l[j] >= 0 ? r : e * r) - x[j]);
	}
	return s;
}

/* Gaussian, mean m, per-column log-variance v:
 * -log p = (log 2pi + v + (x - m)^2 e^-v) / 2;  d/dm = (m - x) e^-v,
 * d/dv = (1 - (x - m)^2 e^-v) / 2 into gv when the scale is learned. */
VI_VECTOR static double nll_gaussian(size_t n, const float *restrict x, const float *restrict m,
                           const float *restrict lv, float *restrict d, float *restrict gv, float w)
{
	double s = 0;

	for (size_t j = 0; j < n; j++) {
		float v = clampf(lv[j], VI_OBS_LOGSCALE_MIN, VI_OBS_LOGSCALE_MAX);
		float r = x[j] - m[j], ie = EXPF(-v);
		s += 0.5f * (LOG_2PI + v + r * r * ie);
		if (d)
			d[j] = -w * r * ie;
		if (gv)             /* no gradient where the clamp holds */
			gv[j] += v == lv[j] ? w * 0.5f * (1 - r * r * ie) : 0;
	}
	return s;
}

/* Laplace, mean m, per-column log-scale b:
 * -log p = log 2 + b + |x - m| e^-b;  d/dm = sign(m - x) e^-b,
 * d/db = 1 - |x - m| e^-b into gb when the scale is learned. */
VI_VECTOR static double nll_laplace(size_t n, const float *restrict x, const float *restrict m,
                          const float *restrict lb, float *restrict d, float *restrict gb, float w)
{
	double s = 0;

	for (size_t j = 0; j < n; j++) {
		float b = clampf(lb[j], VI_OBS_LOGSCALE_MIN, VI_OBS_LOGSCALE_MAX);
		float r = x[j] - m[j], ie = EXPF(-b);
		s += LOG_2 + b + fabsf(r) * ie;
		if (d)
			d[j] = w * (r > 0 ? -ie : r < 0 ? ie : 0);
		if (gb)
			gb[j] += b == lb[j] ? w * (1 - fabsf(r) * ie) : 0;
	}
	return s;
}

double NAMED(vi_nll_obs)(const vae_model *m, const float *p, float *g, const float *x,
                          const float *out, size_t rows, float *row, float *d, float w,
                          const float *rw)
{
	size_t n = m->arch.n_in;
	const float *ls = p + m->obs;
	int has_obs = m->arch.likelihood != VAE_BERNOULLI;
	float *gls = g && d && has_obs && m->arch.obs_scale == 0 ? g + m->obs : NULL;
	double sum = 0;

#ifndef VI_PORTABLE_BUILD
	if (vi_portable)
		return vi_nll_obs_portable(m, p, g, x, out, rows, row, d, w, rw);
#endif
	if (m->table)
		return vi_table_nll(m, p, g, x, out, rows, row, d, w, rw);
	if (g && d && has_obs)
		memset(g + m->obs, 0, n * sizeof *g);   /* a fixed scale stays as it is */
	for (size_t r = 0; r < rows; r++) {
		const float *xr = x + r * n, *o = out + r * n;
		float *dr = d ? d + r * n : NULL, wr = rw ? w * rw[r] : w;
		double s = 0;
		switch (m->arch.likelihood) {
		case VAE_BERNOULLI: s = nll_bernoulli(n, xr, o, dr, wr); break;
		case VAE_GAUSSIAN: s = nll_gaussian(n, xr, o, ls, dr, gls, wr); break;
		case VAE_LAPLACE: s = nll_laplace(n, xr, o, ls, dr, gls, wr); break;
		}
		if (row)
			row[r] = (float)s;
		sum += s;
	}
	return sum;
}

/* ======================================================================
 * The reconstruction divergence: -log p(x|z) above a perfect reconstruction's
 * ==================================================================== */

/* x log x, 0 at 0; vector code takes both sides of the branch, so the
 * logarithm never sees 0 (libm's slow error path) */
static float xlogx(float x)
{
	return x > 0 ? x * LOGF(fmaxf(x, FLT_MIN)) : 0;
}

VI_VECTOR static double divergence_bernoulli(size_t n, const float *restrict x,
                                              const float *restrict l, float *restrict col)
{
	double s = 0;

	for (size_t j = 0; j < n; j++) {   /* BCE(x, p) - H(x) = KL(B(x) || B(p)) >= 0 */
		float d = fmaxf(l[j], 0) + LOGF(1 + EXPF(-fabsf(l[j]))) - x[j] * l[j]
		        + xlogx(x[j]) + xlogx(1 - x[j]);
		d = fmaxf(d, 0);
		if (col)
			col[j] = d;
		s += d;
	}
	return s;
}

/* gaussian: r^2 e^-v / 2; laplace: |r| e^-b */
VI_VECTOR static double divergence_real(size_t n, const float *restrict x, const float *restrict m,
                                         const float *restrict ls, int gaussian, float *restrict col)
{
	double s = 0;

	for (size_t j = 0; j < n; j++) {
		float r = x[j] - m[j];
		float ie = EXPF(-clampf(ls[j], VI_OBS_LOGSCALE_MIN, VI_OBS_LOGSCALE_MAX));
		float d = gaussian ? 0.5f * r * r * ie : fabsf(r) * ie;
		if (col)
			col[j] = d;
		s += d;
	}
	return s;
}

double NAMED(vi_divergence)(const vae_model *m, const float *x, const float *out, float *col)
{
	size_t n = m->arch.n_in;

#ifndef VI_PORTABLE_BUILD
	if (vi_portable)
		return vi_divergence_portable(m, x, out, col);
#endif
	if (m->table)
		return vi_table_divergence(m, x, out, col);
	if (m->arch.likelihood == VAE_BERNOULLI)
		return divergence_bernoulli(n, x, out, col);
	return divergence_real(n, x, out, m->params + m->obs, m->arch.likelihood == VAE_GAUSSIAN, col);
}
