/* kinds.c: one column of a table as the network sees it: its -log p(x | o)
 * and gradient, divergence, expectation, draws and encoder input, by kind.
 * Scalar code and no -ffast-math: the count terms need lgamma, digamma and
 * sums of large terms that cancel, and the draws' loops test for NaN.
 * lgamma only ever sees arguments > 0 here, so the sign it may leave in
 * signgam is always +1: threads that share it write the same value. */
#include <math.h>
#include <string.h>

#include "internal.h"

#define LOG_2PI 1.8378770664093453
#define LOG_2 0.6931471805599453
#define ETA_MIN (-30.0)         /* a count's log-rate: e^30 ~ 1e13 keeps lambda finite */
#define ETA_MAX 30.0

size_t vi_col_width(int kind, size_t n_levels)
{
	return kind == VAE_KIND_CAT ? n_levels : 1;
}

/* The level of a cat value, of n.  The reader maps every cell to a level;
 * the clamp only keeps a stray index from reading outside the column. */
static size_t level(float x, size_t n)
{
	size_t k = x > 0 ? (size_t)x : 0;

	return k < n ? k : n - 1;
}

/* The likelihood of a real or positive column: positive is Gaussian on the
 * scaled logarithm. */
static int real_lik(const vi_col *c)
{
	return c->kind == VAE_KIND_POSITIVE ? VAE_GAUSSIAN : c->lik;
}

static float obs(float ls)
{
	return vi_clampf(ls, VI_OBS_LOGSCALE_MIN, VI_OBS_LOGSCALE_MAX);
}

static double sigmoid(double l)
{
	return l >= 0 ? 1 / (1 + vi_exp(-l)) : vi_exp(l) / (1 + vi_exp(l));
}

/* ======================================================================
 * Real, positive and binary: lib/likelihood.c's formulas, element by element
 * and in float, so a table's real column gives a plain model's numbers
 * ==================================================================== */

/* Bernoulli on a logit l: -log p = softplus(l) - x l;  d/dl = sigmoid(l) - x,
 * both from e = exp(-|l|) so nothing overflows. */
static double nll_bernoulli(float x, float l, float *d, float w)
{
	float e = vi_expf(-fabsf(l)), r = 1 / (1 + e);

	if (d)
		*d = w * ((l >= 0 ? r : e * r) - x);
	return fmaxf(l, 0) + vi_logf(1 + e) - x * l;
}

/* Gaussian, mean m, log-variance v = ls:
 * -log p = (log 2pi + v + (x - m)^2 e^-v) / 2;  d/dm = (m - x) e^-v,
 * d/dv = (1 - (x - m)^2 e^-v) / 2, none where the clamp holds. */
static double nll_gaussian(float x, float m, float ls, float *d, float *gls, float w)
{
	float v = obs(ls), r = x - m, ie = vi_expf(-v);

	if (d)
		*d = -w * r * ie;
	if (gls && v == ls)
		*gls += w * 0.5f * (1 - r * r * ie);
	return 0.5f * ((float)LOG_2PI + v + r * r * ie);
}

/* Laplace, mean m, log-scale b = ls:
 * -log p = log 2 + b + |x - m| e^-b;  d/dm = sign(m - x) e^-b,
 * d/db = 1 - |x - m| e^-b. */
static double nll_laplace(float x, float m, float ls, float *d, float *gls, float w)
{
	float b = obs(ls), r = x - m, ie = vi_expf(-b);

	if (d)
		*d = w * (r > 0 ? -ie : r < 0 ? ie : 0);
	if (gls && b == ls)
		*gls += w * (1 - fabsf(r) * ie);
	return (float)LOG_2 + b + fabsf(r) * ie;
}

/* x log x, 0 at 0 */
static float xlogx(float x)
{
	return x > 0 ? x * vi_logf(x) : 0;
}

static double nll_real(const vi_col *c, float x, const float *o, float ls, float *d, float *gls,
                       float w)
{
	switch (real_lik(c)) {
	case VAE_BERNOULLI: return nll_bernoulli(x, o[0], d, w);
	case VAE_LAPLACE: return nll_laplace(x, o[0], ls, d, gls, w);
	default: return nll_gaussian(x, o[0], ls, d, gls, w);
	}
}

/* gaussian: r^2 e^-v / 2;  laplace: |r| e^-b;
 * bernoulli: BCE(x, p) - H(x) = KL(B(x) || B(p)) >= 0 */
static double divergence_real(const vi_col *c, float x, const float *o, float ls)
{
	float r = x - o[0];

	switch (real_lik(c)) {
	case VAE_BERNOULLI:
		return fmaxf((float)nll_bernoulli(x, o[0], NULL, 0) + xlogx(x) + xlogx(1 - x), 0);
	case VAE_LAPLACE: return fabsf(r) * vi_expf(-obs(ls));
	default: return 0.5f * r * r * vi_expf(-obs(ls));
	}
}

/* ======================================================================
 * Cat: softmax over the column's out_w logits
 * ==================================================================== */

/* log sum exp(o), from the largest so nothing overflows */
static double log_sum_exp(const float *o, size_t n, double *mx)
{
	double s = 0;

	*mx = o[0];
	for (size_t i = 1; i < n; i++)
		*mx = o[i] > *mx ? o[i] : *mx;
	for (size_t i = 0; i < n; i++)
		s += vi_exp(o[i] - *mx);
	return *mx + vi_log(s);
}

/* -log p = logsumexp(o) - o[k];  d/do = softmax(o) - onehot(k) */
static double nll_cat(const vi_col *c, float x, const float *o, float *d, float w)
{
	size_t k = level(x, c->out_w);
	double mx, lse = log_sum_exp(o, c->out_w, &mx);

	if (d)
		for (size_t i = 0; i < c->out_w; i++)
			d[i] = (float)(w * (vi_exp(o[i] - lse) - (i == k)));
	return lse - o[k];
}

/* ======================================================================
 * Count: Poisson or negative binomial on the log-rate eta = off + sc o
 * ==================================================================== */

/* The log-rate; *live is 0 where the clamp holds (no gradient there). */
static double count_eta(const vi_col *c, float o, int *live)
{
	double u = (double)c->off + (double)c->sc * o;
	double eta = u < ETA_MIN ? ETA_MIN : u > ETA_MAX ? ETA_MAX : u;

	if (live)
		*live = eta == u;
	return eta;
}

/* log(e^a + e^b) */
static double log_add_exp(double a, double b)
{
	return (a > b ? a : b) + vi_log1p(vi_exp(-fabs(a - b)));
}

/* The digamma function for x > 0: psi(x) = psi(x + 1) - 1/x up to x >= 10,
 * then the asymptotic series, whose first omitted term is below 1e-15
 * there (9e-13 from 6 up). */
double vi_digamma(double x)
{
	double s = 0;

	for (; x < 10; x++)
		s -= 1 / x;
	double x2 = 1 / (x * x);
	return s + vi_log(x) - 0.5 / x
	       - x2 * (1.0 / 12 - x2 * (1.0 / 120 - x2 * (1.0 / 252 - x2 * (1.0 / 240
	       - x2 * (1.0 / 132 - x2 * (691.0 / 32760))))));
}

/* Poisson: -log p = lambda - x eta + lgamma(x + 1);  d/deta = lambda - x. */
static double nll_poisson(float x, double eta, double *deta)
{
	double lam = vi_exp(eta);

	*deta = lam - x;
	return lam - x * eta + vi_lgamma((double)x + 1);
}

/* Negative binomial, rate lambda = e^eta, size r = e^ls:
 * -log p = -[lgamma(x + r) - lgamma(r) - lgamma(x + 1)
 *            + r log(r / (r + lambda)) + x log(lambda / (r + lambda))];
 * d/deta = r (lambda - x) / (r + lambda);
 * d/dls = -r [psi(x + r) - psi(r) + log(r / (r + lambda)) + (lambda - x) / (r + lambda)].
 * The logarithms come from eta and ls, log(r + lambda) by log_add_exp, so
 * log(r / (r + lambda)) keeps its digits when lambda is far below r. */
static double nll_negbin(float x, double eta, double ls, double *deta, double *dls)
{
	double r = vi_exp(ls), lrl = log_add_exp(ls, eta), lam = vi_exp(eta);

	*deta = (lam - x) * vi_exp(ls - lrl);
	*dls = -r * (vi_digamma(x + r) - vi_digamma(r) + (ls - lrl) + (lam - x) * vi_exp(-lrl));
	return -(vi_lgamma(x + r) - vi_lgamma(r) - vi_lgamma((double)x + 1) + r * (ls - lrl)
	         + x * (eta - lrl));
}

/* d/do = sc d/deta, none where eta's clamp holds; Poisson has no ls. */
static double nll_count(const vi_col *c, float x, const float *o, float ls, float *d,
                        float *gls, float w)
{
	int live;
	double eta = count_eta(c, o[0], &live), deta, dls = 0, s;
	float v = obs(ls);

	s = c->negbin ? nll_negbin(x, eta, v, &deta, &dls) : nll_poisson(x, eta, &deta);
	if (d)
		d[0] = live ? (float)(w * c->sc * deta) : 0;
	if (gls && c->negbin && v == ls)
		*gls += (float)(w * dls);
	return s;
}

/* x log(x / m) + m - x >= 0, without the cancellation near x = m: there,
 * with v = (x - m) / (x + m), it is the series (x - m) v + 2 x sum_j
 * v^(2j+1) / (2j + 1) (Loader 2000, "bd0").  0 log 0 = 0. */
static double bd0(double x, double m)
{
	if (x == 0)
		return m;
	if (fabs(x - m) < 0.1 * (x + m)) {
		double v = (x - m) / (x + m), s = (x - m) * v, ej = 2 * x * v;
		for (int j = 1; j < 100; j++) {
			ej *= v * v;
			double s1 = s + ej / (2 * j + 1);
			if (s1 == s)
				break;
			s = s1;
		}
		return s;
	}
	return x * vi_log(x / m) + m - x;
}

/* Poisson: half the deviance, bd0(x, lambda).  Negative binomial: the nll
 * less its value at lambda = x, in which the lgamma terms cancel:
 * x log(x / lambda) + (x + r) log((r + lambda) / (r + x))
 * = bd0(x, lambda) - bd0(x + r, lambda + r); at x = 0 its infimum over
 * lambda is the limit lambda -> 0, where it is 0 too. */
static double divergence_count(const vi_col *c, float x, const float *o, float ls)
{
	double lam = vi_exp(count_eta(c, o[0], NULL)), r = vi_exp(obs(ls)), s;

	s = bd0(x, lam);
	if (c->negbin)
		s -= bd0(x + r, lam + r);
	return s > 0 ? s : 0;
}

/* ======================================================================
 * Draws
 * ==================================================================== */

/* lgamma(k + 1) - (k + 1/2) log k + k - log sqrt(2 pi), Stirling's error,
 * by its series from k = 16, where the first omitted term is below 2e-14 */
static double stirling_error(double k)
{
	if (k < 16)
		return vi_lgamma(k + 1) - (k + 0.5) * vi_log(k) + k - 0.5 * LOG_2PI;
	double k2 = 1 / (k * k);
	return (1.0 / 12 - k2 * (1.0 / 360 - k2 * (1.0 / 1260 - k2 * (1.0 / 1680
	       - k2 * (1.0 / 1188))))) / k;
}

/* log of the Poisson probability of k >= 0 at rate lam in Loader's form:
 * k log lam - lam - lgamma(k + 1) cancels terms of 3e14 at 1e13, whose
 * rounding is worth up to 0.1 nats. */
static double poisson_log_pmf(double k, double lam)
{
	if (k == 0)
		return -lam;
	return -0.5 * (LOG_2PI + vi_log(k)) - stirling_error(k) - bd0(k, lam);
}

/* Poisson draw: Knuth's product of uniforms below lam = 10 (lam + 1
 * uniforms on average), else Hormann's PTRS (1993), transformed rejection
 * with a squeeze, about 1.2 tries at any rate. */
static double draw_poisson(double lam, vae_rng *r)
{
	if (isnan(lam))
		return NAN;
	if (lam < 10) {
		double lim = vi_exp(-lam), p = vae_rng_uniform(r);
		double k = 0;
		for (; p > lim; k++)
			p *= vae_rng_uniform(r);
		return k;
	}
	double b = 0.931 + 2.53 * sqrt(lam), a = -0.059 + 0.02483 * b;
	double inv_alpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
	for (;;) {
		double u = vae_rng_uniform(r) - 0.5, v = vae_rng_uniform(r), us = 0.5 - fabs(u);
		double k = floor((2 * a / us + b) * u + lam + 0.43);
		if (us >= 0.07 && v <= vr)
			return k;
		if (k < 0 || (us < 0.013 && v > us))
			continue;
		if (vi_log(v * inv_alpha / (a / (us * us) + b)) <= poisson_log_pmf(k, lam))
			return k;
	}
}

/* Gamma(shape, 1) draw: Marsaglia and Tsang (2000); below shape 1 from
 * Gamma(shape + 1) times u^(1/shape). */
static double draw_gamma(double shape, vae_rng *r)
{
	if (shape < 1) {
		double u = 1 - vae_rng_uniform(r);   /* (0, 1] */
		return draw_gamma(shape + 1, r) * vi_pow(u, 1 / shape);
	}
	double dd = shape - 1.0 / 3, cc = 1 / sqrt(9 * dd);
	for (;;) {
		double x = vae_rng_normal(r), v = 1 + cc * x;
		if (v <= 0)
			continue;
		v = v * v * v;
		double u = 1 - vae_rng_uniform(r);
		if (u < 1 - 0.0331 * x * x * x * x || vi_log(u) < 0.5 * x * x + dd * (1 - v + vi_log(v)))
			return dd * v;
	}
}

/* Negative binomial as a gamma-Poisson mixture: lambda' ~ Gamma(r, lambda / r). */
static double draw_count(const vi_col *c, const float *o, float ls, vae_rng *r)
{
	double lam = vi_exp(count_eta(c, o[0], NULL));

	if (c->negbin) {
		double size = vi_exp(obs(ls));
		lam = lam / size * draw_gamma(size, r);
	}
	return draw_poisson(lam, r);
}

/* Inverse CDF over softmax(o); the last level takes what rounding leaves. */
static float draw_cat(const vi_col *c, const float *o, vae_rng *r)
{
	double mx, lse = log_sum_exp(o, c->out_w, &mx), u = vae_rng_uniform(r), cum = 0;

	for (size_t i = 0; i + 1 < c->out_w; i++) {
		cum += vi_exp(o[i] - lse);
		if (u < cum)
			return (float)i;
	}
	return (float)(c->out_w - 1);
}

/* Real: Gaussian, or Laplace by inversion, as lib/infer.c draws. */
static float draw_real(const vi_col *c, const float *o, float ls, vae_rng *r)
{
	float s, u;

	switch (real_lik(c)) {
	case VAE_BERNOULLI:
		return vae_rng_uniform(r) < sigmoid(o[0]) ? 1.0f : 0.0f;
	case VAE_LAPLACE:
		s = vi_expf(obs(ls));
		u = (float)vae_rng_uniform(r) - 0.5f;
		return o[0] - s * (u < 0 ? -1.0f : 1.0f) * vi_log1pf(-2.0f * fabsf(u));
	default:
		s = vi_expf(0.5f * obs(ls));
		return o[0] + s * vae_rng_normal(r);
	}
}

/* ======================================================================
 * The contract of internal.h, by kind
 * ==================================================================== */

double vi_col_nll(const vi_col *c, float x, const float *o, float ls, float *d, float *gls,
                   float w)
{
	switch (c->kind) {
	case VAE_KIND_COUNT: return nll_count(c, x, o, ls, d, gls, w);
	case VAE_KIND_BINARY: return nll_bernoulli(x, o[0], d, w);
	case VAE_KIND_CAT: return nll_cat(c, x, o, d, w);
	default: return nll_real(c, x, o, ls, d, gls, w);
	}
}

/* Binary and cat: a one-hot target has no entropy, so the least -log p
 * over o is 0 and the divergence is the nll itself. */
double vi_col_divergence(const vi_col *c, float x, const float *o, float ls)
{
	switch (c->kind) {
	case VAE_KIND_COUNT: return divergence_count(c, x, o, ls);
	case VAE_KIND_BINARY: return nll_bernoulli(x, o[0], NULL, 0);
	case VAE_KIND_CAT: return nll_cat(c, x, o, NULL, 0);
	default: return divergence_real(c, x, o, ls);
	}
}

void vi_col_expect(const vi_col *c, const float *o, float ls, float *acc)
{
	double mx, lse;

	(void)ls;       /* every kind's mean is the decoder's alone */
	switch (c->kind) {
	case VAE_KIND_COUNT:
		acc[0] += (float)vi_exp(count_eta(c, o[0], NULL));
		break;
	case VAE_KIND_BINARY:
		acc[0] += (float)sigmoid(o[0]);
		break;
	case VAE_KIND_CAT:
		lse = log_sum_exp(o, c->out_w, &mx);
		for (size_t i = 0; i < c->out_w; i++)
			acc[i] += (float)vi_exp(o[i] - lse);
		break;
	default:
		acc[0] += real_lik(c) == VAE_BERNOULLI ? (float)sigmoid(o[0]) : o[0];
	}
}

float vi_col_value(const vi_col *c, const float *acc, float n)
{
	size_t best = 0;

	switch (c->kind) {
	case VAE_KIND_COUNT:
		return fmaxf(roundf(acc[0] / n), 0);
	case VAE_KIND_BINARY:
		return acc[0] / n >= 0.5f ? 1.0f : 0.0f;
	case VAE_KIND_CAT:
		for (size_t i = 1; i < c->out_w; i++)   /* the first of equals */
			best = acc[i] > acc[best] ? i : best;
		return (float)best;
	default:
		return acc[0] / n;
	}
}

float vi_col_draw(const vi_col *c, const float *o, float ls, vae_rng *r)
{
	switch (c->kind) {
	case VAE_KIND_COUNT: return (float)draw_count(c, o, ls, r);
	case VAE_KIND_BINARY: return vae_rng_uniform(r) < sigmoid(o[0]) ? 1.0f : 0.0f;
	case VAE_KIND_CAT: return draw_cat(c, o, r);
	default: return draw_real(c, o, ls, r);
	}
}

void vi_col_input(const vi_col *c, float x, float *in)
{
	if (c->kind == VAE_KIND_CAT) {
		memset(in, 0, c->in_w * sizeof *in);
		if (!isnan(x))
			in[level(x, c->in_w)] = 1;
		return;
	}
	if (isnan(x))
		in[0] = 0;
	else if (c->kind == VAE_KIND_COUNT)
		in[0] = (float)((vi_log1p(x) - c->off) / c->sc);   /* as the rate: eta = off + sc o */
	else
		in[0] = x;
}
