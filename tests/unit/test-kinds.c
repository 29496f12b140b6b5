/* test-kinds.c: each column kind's -log p against finite differences of
 * itself, closed forms and the plain model's likelihoods; its divergence
 * at and away from the best reconstruction; the moments of many draws;
 * its mean, value and encoder input. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "internal.h"

#define H 1e-2                  /* step in o and ls */
#define TOL 2e-3                /* ||analytic - numeric|| / ||analytic + numeric|| */
#define DRAWS 20000
#define MAXW 4                  /* the widest column here: cat of 4 levels */

/* One column to test, and the values of x it is tried at. */
struct kind {
	const char *name;
	int kind, lik, negbin;
	size_t levels;
	float ls;
	size_t n_x;
	float x[4];
};

static const struct kind KINDS[] = {
	{ "real gaussian", VAE_KIND_REAL, VAE_GAUSSIAN, 0, 0, 0.3f, 4, { -1.3f, 0, 0.7f, 2.4f } },
	{ "real laplace", VAE_KIND_REAL, VAE_LAPLACE, 0, 0, -0.4f, 4, { -1.3f, 0, 0.7f, 2.4f } },
	{ "real bernoulli", VAE_KIND_REAL, VAE_BERNOULLI, 0, 0, 0, 3, { 0, 0.3f, 1 } },
	{ "positive", VAE_KIND_POSITIVE, VAE_GAUSSIAN, 0, 0, 0.5f, 4, { -1.3f, 0, 0.7f, 2.4f } },
	{ "count poisson", VAE_KIND_COUNT, VAE_GAUSSIAN, 0, 0, 0, 4, { 0, 1, 7, 250 } },
	{ "count negbin", VAE_KIND_COUNT, VAE_GAUSSIAN, 1, 0, 0.693f, 4, { 0, 1, 7, 250 } },
	{ "binary", VAE_KIND_BINARY, VAE_BERNOULLI, 0, 2, 0, 2, { 0, 1 } },
	{ "cat", VAE_KIND_CAT, VAE_GAUSSIAN, 0, 4, 0, 4, { 0, 1, 2, 3 } },
};
#define N_KINDS (sizeof KINDS / sizeof *KINDS)

/* Decoder outputs tried at each x: a laplace x is never within H of them;
 * for a count (off 1, sc 1.5) they are rates 1.3, 9.0 and 210. */
static const float O[] = { -0.5f, 0.8f, 2.9f };
#define N_O (sizeof O / sizeof *O)

static vi_col column(const struct kind *k)
{
	size_t w = vi_col_width(k->kind, k->levels);
	vi_col c = { k->kind, k->lik, k->negbin, k->levels, 0, w, 0, w, 0, 1 };

	if (k->kind == VAE_KIND_COUNT) {
		c.off = 1.0f;
		c.sc = 1.5f;
	}
	return c;
}

/* The decoder outputs of trial t: cat's logits spread about O[t]. */
static void outputs(const vi_col *c, size_t t, float *o)
{
	for (size_t i = 0; i < c->out_w; i++)
		o[i] = O[t] + (c->out_w > 1 ? 0.6f * (float)i - 0.9f * (float)((i * 7 + t) % 3) : 0);
}

/* Central difference of -log p in *v (o[i] or ls), over the step floats
 * actually take. */
static double numeric(const vi_col *c, float x, float *o, float *ls, float *v)
{
	float keep = *v, up = keep + (float)H, down = keep - (float)H;
	double fu, fd;

	*v = up;
	fu = vi_col_nll(c, x, o, *ls, NULL, NULL, 1);
	*v = down;
	fd = vi_col_nll(c, x, o, *ls, NULL, NULL, 1);
	*v = keep;
	return (fu - fd) / ((double)up - down);
}

/* d and gls of one cell, weighted by w, against central differences:
 * d is overwritten, gls added to (so it starts at 0.25), and a column
 * without an observation parameter leaves gls alone (numeric 0). */
static double grad_err(const vi_col *c, float x, float *o, float ls)
{
	const float w = 0.7f;
	float d[MAXW], gls = 0.25f;
	double a[MAXW + 1], n[MAXW + 1];

	for (size_t i = 0; i < MAXW; i++)
		d[i] = 99;
	vi_col_nll(c, x, o, ls, d, &gls, w);
	for (size_t i = 0; i < c->out_w; i++) {
		a[i] = d[i];
		n[i] = w * numeric(c, x, o, &ls, &o[i]);
	}
	a[c->out_w] = (double)gls - 0.25;
	n[c->out_w] = w * numeric(c, x, o, &ls, &ls);
	return rel_err(a, n, c->out_w + 1);
}

static void test_gradients(const struct kind *k)
{
	vi_col c = column(k);
	float o[MAXW];
	double worst = 0;

	for (size_t i = 0; i < k->n_x; i++)
		for (size_t t = 0; t < N_O; t++) {
			outputs(&c, t, o);
			double err = grad_err(&c, k->x[i], o, k->ls);
			worst = err > worst ? err : worst;
		}
	CHECK(worst < TOL, "%s: d and gls against finite differences, worst relative error %.2e",
	      k->name, worst);
}

/* Where the clamps hold, no gradient: ls above its bound (the nll as at the
 * bound), and a count's log-rate above 30. */
static void test_clamps(void)
{
	static const size_t WITH_LS[] = { 0, 1, 5 };   /* gaussian, laplace, negbin */
	vi_col nb = column(&KINDS[5]);
	float o = 0.2f, big = 25, d = 99, gls;

	for (size_t i = 0; i < 3; i++) {
		vi_col c = column(&KINDS[WITH_LS[i]]);
		gls = 0.25f;
		double s = vi_col_nll(&c, 1, &o, 12, &d, &gls, 1);
		double at = vi_col_nll(&c, 1, &o, VI_OBS_LOGSCALE_MAX, NULL, NULL, 1);
		CHECK(gls == 0.25f && s == at, "%s: ls 12 is clamped to 9 (nll %g, at 9 %g), "
		      "gls untouched (%g)", KINDS[WITH_LS[i]].name, s, at, gls - 0.25f);
	}
	vi_col_nll(&nb, 3, &big, 0.5f, &d, NULL, 1);
	CHECK(d == 0, "count: log-rate 1 + 1.5 * 25 clamped to 30, no gradient (%g)", d);
	vi_col_nll(&nb, 3, &o, 0.5f, &d, NULL, 1);
	CHECK(d != 0, "count: log-rate 1.3 unclamped, its gradient %g", d);
}

/* -log p at known points: the formulas, written out here. */
static void test_closed_forms(void)
{
	vi_col p = column(&KINDS[4]), nb = column(&KINDS[5]), cat = column(&KINDS[7]);
	vi_col g = column(&KINDS[0]), pos = column(&KINDS[3]);
	float o2 = logf(2), o4 = logf(4), zero = 0, logits[4] = { 0, 1, 2, 3 };
	double v, want;

	p.off = nb.off = 0;
	p.sc = nb.sc = 1;
	v = vi_col_nll(&p, 3, &o2, 0, NULL, NULL, 1);
	want = 2 - 3 * log(2) + log(6);
	CHECK(fabs(v - want) < 1e-6, "poisson: x 3, rate 2: %.9f, want %.9f", v, want);
	v = vi_col_nll(&nb, 2, &o4, logf(2), NULL, NULL, 1);
	want = -log(12.0 / 81);     /* C(3, 2) (1/3)^2 (2/3)^2 */
	CHECK(fabs(v - want) < 1e-6, "negbin: x 2, rate 4, size 2: %.9f, want %.9f", v, want);
	v = vi_col_nll(&cat, 2, logits, 0, NULL, NULL, 1);
	want = log(1 + exp(1) + exp(2) + exp(3)) - 2;
	CHECK(fabs(v - want) < 1e-6, "cat: logits 0 1 2 3, level 2: %.9f, want %.9f", v, want);
	v = vi_col_nll(&g, 1, &zero, 0, NULL, NULL, 1);
	want = (log(6.283185307179586) + 1) / 2;
	CHECK(fabs(v - want) < 1e-6, "gaussian: x 1, mean 0, v 0: %.9f, want %.9f", v, want);
	v = vi_col_nll(&pos, 2, &zero, 1, NULL, NULL, 1);
	want = (log(6.283185307179586) + 1 + 4 * exp(-1)) / 2;
	CHECK(fabs(v - want) < 1e-6, "positive: x 2, mean 0, v 1: %.9f, want %.9f", v, want);
}

/* The negative binomial's d/dls against its closed form at whole x, where
 * psi(x + r) - psi(r) = sum_{i < x} 1 / (r + i): an oracle for the digamma
 * function's recurrence and series both. */
static void test_negbin_size(void)
{
	static const float X[] = { 1, 7, 250 }, RATE[] = { 0.5f, 4, 300 };
	vi_col nb = column(&KINDS[5]);
	float ls = 0.693f;
	double worst = 0;

	nb.off = 0;
	nb.sc = 1;
	for (size_t i = 0; i < 3; i++)
		for (size_t j = 0; j < 3; j++) {
			float o = logf(RATE[j]), gls = 0;
			double r = exp((double)ls), lam = exp((double)o), h = 0;
			for (int k = 0; k < X[i]; k++)
				h += 1 / (r + k);
			double want = -r * (h + log(r / (r + lam)) + (lam - X[i]) / (r + lam));
			vi_col_nll(&nb, X[i], &o, ls, NULL, &gls, 1);
			worst = fmax(worst, fabs(gls - want) / (1 + fabs(want)));
		}
	CHECK(worst < 1e-6, "negbin: d/dls against the harmonic sums, worst relative %.2e", worst);
}

/* A real column gives what lib/likelihood.c gives a plain model of one
 * column: -log p, its gradients and the divergence. */
static void test_plain_model(const struct kind *k)
{
	vae_arch arch = { 1, 1, 1, { 2 }, VAE_TANH, k->lik, 0, 0, 0, 0, 0 };
	vae_model *m = vae_model_new(&arch, 1, NULL);
	vi_col c = column(k);
	float *g = m ? calloc(m->n_params, sizeof *g) : NULL;
	double worst = 0;

	if (!g) {
		CHECK(0, "%s: a plain model to compare with: out of memory", k->name);
		vae_model_free(m);
		return;
	}
	if (k->lik != VAE_BERNOULLI)    /* bernoulli has no observation parameter */
		m->params[m->obs] = k->ls;
	for (size_t i = 0; i < k->n_x; i++)
		for (size_t t = 0; t < N_O; t++) {
			float x = k->x[i], o = O[t], d0, d1, gls = 0;
			double a = vi_nll_obs(m, m->params, g, &x, &o, 1, NULL, &d0, 0.7f, NULL);
			double b = vi_col_nll(&c, x, &o, k->ls, &d1, &gls, 0.7f);
			double e = fabs(a - b) + fabs(d0 - d1)
			         + (k->lik != VAE_BERNOULLI ? fabs(g[m->obs] - gls) : 0)
			         + fabs(vi_divergence(m, &x, &o, NULL) - vi_col_divergence(&c, x, &o, k->ls));
			worst = fmax(worst, e);
		}
	CHECK(worst < 1e-5, "%s: as a plain model's likelihood, worst difference %.2e", k->name,
	      worst);
	free(g);
	vae_model_free(m);
}

/* The decoder output that reconstructs x best (or nearly: its limit when
 * it is infinite). */
static void best_output(const vi_col *c, float x, float *o)
{
	if (c->kind == VAE_KIND_COUNT)
		o[0] = x > 0 ? (float)((log(x) - c->off) / c->sc) : -25;
	else if (c->kind == VAE_KIND_BINARY || (c->kind == VAE_KIND_REAL && c->lik == VAE_BERNOULLI))
		o[0] = x <= 0 ? -20 : x >= 1 ? 20 : logf(x / (1 - x));
	else
		o[0] = x;
}

/* The divergence is >= 0; binary and cat: the nll itself; every other kind:
 * the nll less the best reconstruction's, 0 there. */
static void test_divergence(const struct kind *k)
{
	vi_col c = column(k);
	float o[MAXW], best;
	double neg = 0, off = 0, at_best = 0;

	for (size_t i = 0; i < k->n_x; i++) {
		float x = k->x[i];
		for (size_t t = 0; t < N_O; t++) {
			outputs(&c, t, o);
			double dv = vi_col_divergence(&c, x, o, k->ls);
			double s = vi_col_nll(&c, x, o, k->ls, NULL, NULL, 1), ref = s;
			if (c.kind != VAE_KIND_BINARY && c.kind != VAE_KIND_CAT) {
				best_output(&c, x, &best);
				ref -= vi_col_nll(&c, x, &best, k->ls, NULL, NULL, 1);
				at_best = fmax(at_best, fabs(vi_col_divergence(&c, x, &best, k->ls)));
			}
			neg = dv < 0 || isnan(dv) ? 1 : neg;
			off = fmax(off, fabs(dv - ref) / (1 + fabs(s)));
		}
	}
	CHECK(!neg, "%s: divergence >= 0", k->name);
	CHECK(off < 2e-6, "%s: divergence = nll less the best reconstruction's, worst %.2e",
	      k->name, off);
	CHECK(at_best < 1e-5, "%s: divergence at the best reconstruction %.2e", k->name, at_best);
}

/* ---- draws ---- */

/* Mean and variance of n draws from column c at o, ls. */
static void moments(const vi_col *c, const float *o, float ls, size_t n, double *mean,
                    double *var, int *whole)
{
	vae_rng r;
	double s = 0, s2 = 0;

	vae_rng_seed(&r, 42);
	*whole = 1;
	for (size_t i = 0; i < n; i++) {
		double v = vi_col_draw(c, o, ls, &r);
		*whole &= v >= 0 && v == floor(v);
		s += v;
		s2 += v * v;
	}
	*mean = s / (double)n;
	*var = (s2 - s * *mean) / (double)(n - 1);
}

/* The draws' mean and variance within z standard errors of mu and var,
 * and vi_col_expect's mean mu to float's precision; kurt is the excess
 * kurtosis, which sets the variance's error. */
static void check_moments(const char *name, const vi_col *c, const float *o, float ls,
                          size_t n, double mu, double var, double kurt, double z)
{
	double m, v, se_m = sqrt(var / (double)n), se_v = var * sqrt((kurt + 2) / (double)n);
	float e = 0;
	int whole;

	vi_col_expect(c, o, ls, &e);
	moments(c, o, ls, n, &m, &v, &whole);
	CHECK(fabs(m - mu) < z * se_m && fabs(e - mu) < 1e-6 * (1 + fabs(mu)),
	      "%s: mean of %zu draws %.6g, expect %.6g, want %.6g (se %.2g)", name, n, m, e, mu,
	      se_m);
	CHECK(fabs(v - var) < z * se_v, "%s: variance of %zu draws %.6g, want %.6g (se %.2g)",
	      name, n, v, var, se_v);
	if (c->kind == VAE_KIND_COUNT || c->kind == VAE_KIND_BINARY)
		CHECK(whole, "%s: draws are whole numbers >= 0", name);
}

static void test_draws_real(void)
{
	vi_col g = column(&KINDS[0]), l = column(&KINDS[1]), b = column(&KINDS[2]);
	vi_col pos = column(&KINDS[3]), bin = column(&KINDS[6]);
	float m = 0.5f, o = 0.4f;
	double bl = exp(-0.2), p = 1 / (1 + exp(-0.4));

	check_moments("real gaussian", &g, &m, 0.4f, DRAWS, 0.5, exp(0.4), 0, 4);
	check_moments("positive", &pos, &m, 0.5f, DRAWS, 0.5, exp(0.5), 0, 4);
	check_moments("real laplace", &l, &m, -0.2f, DRAWS, 0.5, 2 * bl * bl, 3, 4);
	/* Bernoulli: excess kurtosis (1 - 6 p (1 - p)) / (p (1 - p)) */
	check_moments("real bernoulli", &b, &o, 0, DRAWS, p, p * (1 - p),
	              (1 - 6 * p * (1 - p)) / (p * (1 - p)), 4);
	check_moments("binary", &bin, &o, 0, DRAWS, p, p * (1 - p),
	              (1 - 6 * p * (1 - p)) / (p * (1 - p)), 4);
}

/* The counts of draws 0, 1, ... (the last bin all above) against the
 * probabilities exp(-nll): Pearson's chi-square within 4 standard
 * deviations of its mean, neighbouring bins merged to cells of at least 5
 * expected draws. */
static void check_histogram(const char *name, const vi_col *c, float o, float ls)
{
	enum { BINS = 256 };
	double want[BINS], seen[BINS] = { 0 }, cw[BINS], cs[BINS], chi2 = 0, left = 1;
	size_t n = 0;
	vae_rng r;

	vae_rng_seed(&r, 7);
	for (size_t i = 0; i < DRAWS; i++) {
		double v = vi_col_draw(c, &o, ls, &r);
		seen[v < BINS - 1 ? (size_t)v : BINS - 1]++;
	}
	for (size_t k = 0; k < BINS - 1; k++) {
		want[k] = DRAWS * exp(-vi_col_nll(c, (float)k, &o, ls, NULL, NULL, 1));
		left -= want[k] / DRAWS;
	}
	want[BINS - 1] = DRAWS * left;
	for (size_t k = 0; k < BINS; k++) {
		if (n == 0 || cw[n - 1] >= 5)
			cw[n] = cs[n] = 0, n++;
		cw[n - 1] += want[k];
		cs[n - 1] += seen[k];
	}
	if (n > 1 && cw[n - 1] < 5)     /* the tail's cell into the one before */
		cw[n - 2] += cw[n - 1], cs[n - 2] += cs[n - 1], n--;
	for (size_t i = 0; i < n; i++)
		chi2 += (cs[i] - cw[i]) * (cs[i] - cw[i]) / cw[i];
	CHECK(n > 2 && chi2 < (double)(n - 1) + 4 * sqrt(2.0 * (double)(n - 1)),
	      "%s: histogram of %d draws, chi-square %.1f on %zu degrees of freedom", name, DRAWS,
	      chi2, n - 1);
}

/* Poisson at rate lam (excess kurtosis 1 / lam); negative binomial of
 * size r: variance lam + lam^2 / r, excess kurtosis 6 / r + 1 / var
 * (Wikipedia's 6/r + (1-p)^2/(p r) with p = lam / (lam + r)). */
static void test_draws_count(void)
{
	static const double RATE[] = { 3.5, 12, 40, 5000, 1e13 };
	vi_col p = column(&KINDS[4]), nb = column(&KINDS[5]);
	char name[64];

	p.off = nb.off = 0;
	p.sc = nb.sc = 1;
	for (size_t i = 0; i < sizeof RATE / sizeof *RATE; i++) {
		float o = (float)log(RATE[i]);
		double lam = exp((double)o);    /* the rate o stands for, to the last digit */
		size_t n = lam > 1e6 ? 2000 : DRAWS;
		snprintf(name, sizeof name, "poisson %g", RATE[i]);
		check_moments(name, &p, &o, 0, n, lam, lam, 1 / lam, 4);
		if (lam < 50)
			check_histogram(name, &p, o, 0);
	}
	/* rate, size: the last two's counts follow the gamma draws' shape */
	static const double SIZE[][2] = { { 4, 2 }, { 3, 0.5 }, { 50, 3 }, { 30, 0.7 } };
	for (size_t i = 0; i < sizeof SIZE / sizeof *SIZE; i++) {
		float o = (float)log(SIZE[i][0]), ls = (float)log(SIZE[i][1]);
		double lam = exp((double)o), r = exp((double)ls), var = lam + lam * lam / r;
		snprintf(name, sizeof name, "negbin %g size %g", SIZE[i][0], SIZE[i][1]);
		check_moments(name, &nb, &o, ls, DRAWS, lam, var, 6 / r + 1 / var, 4);
		check_histogram(name, &nb, o, ls);
	}
}

/* A diverged decoder (o NaN) gives a NaN draw, and never a loop that
 * waits for a comparison with NaN to come true. */
static void test_draws_nan(void)
{
	vi_col p = column(&KINDS[4]), nb = column(&KINDS[5]);
	float o = NAN;
	vae_rng r;

	vae_rng_seed(&r, 1);
	float a = vi_col_draw(&p, &o, 0, &r), b = vi_col_draw(&nb, &o, 0.5f, &r);
	CHECK(isnan(a) && isnan(b), "count: a draw at o NaN is NaN (poisson %g, negbin %g)", a, b);
}

/* Each level's share of the draws within 4 standard errors of softmax(o). */
static void test_draws_cat(void)
{
	vi_col c = column(&KINDS[7]);
	float o[4] = { 0.2f, -1, 1.3f, 0.5f };
	double want[4], sum = 0, worst = 0;
	size_t count[4] = { 0 };
	vae_rng r;

	for (size_t i = 0; i < 4; i++)
		sum += want[i] = exp(o[i]);
	vae_rng_seed(&r, 42);
	for (size_t i = 0; i < DRAWS; i++)
		count[(size_t)vi_col_draw(&c, o, 0, &r)]++;
	for (size_t i = 0; i < 4; i++) {
		double p = want[i] / sum, se = sqrt(p * (1 - p) / DRAWS);
		worst = fmax(worst, fabs((double)count[i] / DRAWS - p) / se);
	}
	CHECK(worst < 4, "cat: shares of %d draws, worst %.2f standard errors from softmax", DRAWS,
	      worst);
}

/* ---- mean, value, input ---- */

/* vi_col_expect into acc from 1 in every unit; @return acc[0]. */
static float expect(const vi_col *c, const float *o, float ls, float *acc)
{
	for (size_t i = 0; i < MAXW; i++)
		acc[i] = 1;
	vi_col_expect(c, o, ls, acc);
	return acc[0];
}

/* expect adds the column's mean to what acc holds. */
static void test_expect(void)
{
	vi_col g = column(&KINDS[0]), b = column(&KINDS[2]), p = column(&KINDS[4]);
	vi_col bin = column(&KINDS[6]), cat = column(&KINDS[7]);
	float o = 0.4f, logits[4] = { 0, 1, 2, 3 }, acc[MAXW], v;
	double sig = 1 / (1 + exp(-0.4)), den = 1 + exp(1) + exp(2) + exp(3), worst = 0;

	v = expect(&g, &o, 0.3f, acc);
	CHECK(fabs(v - 1.4) < 1e-6, "real gaussian: expect adds the mean (%g)", v);
	v = expect(&b, &o, 0, acc);
	CHECK(fabs(v - 1 - sig) < 1e-6, "real bernoulli: expect adds sigmoid(o) (%g)", v);
	v = expect(&bin, &o, 0, acc);
	CHECK(fabs(v - 1 - sig) < 1e-6, "binary: expect adds sigmoid(o) (%g)", v);
	v = expect(&p, &o, 0, acc);     /* off 1, sc 1.5 */
	CHECK(fabs(v - 1 - exp(1 + 1.5 * 0.4)) < 1e-5, "count: expect adds the rate (%g)", v);
	expect(&cat, logits, 0, acc);
	for (size_t i = 0; i < 4; i++)
		worst = fmax(worst, fabs(acc[i] - 1 - exp((double)i) / den));
	CHECK(worst < 1e-6, "cat: expect adds softmax(o), worst %.2e", worst);
}

static void test_value(void)
{
	vi_col g = column(&KINDS[0]), p = column(&KINDS[4]), bin = column(&KINDS[6]);
	vi_col cat = column(&KINDS[7]);
	float a = 3, c1 = 7.4f, c2 = 6.6f, neg = -3, b1 = 1, b2 = 0.98f;
	float tie[4] = { 0.1f, 0.4f, 0.4f, 0.1f }, last[4] = { 0.1f, 0.2f, 0.3f, 0.4f };

	CHECK(vi_col_value(&g, &a, 2) == 1.5f, "real: value is the mean (%g)",
	      vi_col_value(&g, &a, 2));
	CHECK(vi_col_value(&p, &c1, 2) == 4 && vi_col_value(&p, &c2, 2) == 3,
	      "count: value is the rounded mean (3.7: %g, 3.3: %g)", vi_col_value(&p, &c1, 2),
	      vi_col_value(&p, &c2, 2));
	CHECK(vi_col_value(&p, &neg, 2) == 0, "count: never below 0 (%g)", vi_col_value(&p, &neg, 2));
	CHECK(vi_col_value(&bin, &b1, 2) == 1 && vi_col_value(&bin, &b2, 2) == 0,
	      "binary: 1 from a mean of 0.5 up (0.5: %g, 0.49: %g)", vi_col_value(&bin, &b1, 2),
	      vi_col_value(&bin, &b2, 2));
	CHECK(vi_col_value(&cat, tie, 1) == 1 && vi_col_value(&cat, last, 1) == 3,
	      "cat: the likeliest level, the first of equals (tie: %g, last: %g)",
	      vi_col_value(&cat, tie, 1), vi_col_value(&cat, last, 1));
}

static void test_input(void)
{
	vi_col g = column(&KINDS[0]), p = column(&KINDS[4]), bin = column(&KINDS[6]);
	vi_col cat = column(&KINDS[7]);
	float in[4] = { 9, 9, 9, 9 };
	int ok;

	vi_col_input(&g, 0.7f, in);
	CHECK(in[0] == 0.7f, "real: input is x (%g)", in[0]);
	vi_col_input(&g, NAN, in);
	CHECK(in[0] == 0, "real: NAN gives 0 (%g)", in[0]);
	vi_col_input(&p, 7, in);     /* off 1, sc 1.5 */
	CHECK(fabs(in[0] - (log(8) - 1) / 1.5) < 1e-6, "count: input (log1p(x) - off) / sc (%g)",
	      in[0]);
	in[0] = 9, vi_col_input(&p, NAN, in);
	CHECK(in[0] == 0, "count: NAN gives 0 (%g)", in[0]);
	vi_col_input(&bin, 1, in);
	CHECK(in[0] == 1, "binary: input is x (%g)", in[0]);
	vi_col_input(&cat, 2, in);
	ok = in[0] == 0 && in[1] == 0 && in[2] == 1 && in[3] == 0;
	CHECK(ok, "cat: level 2 one-hot (%g %g %g %g)", in[0], in[1], in[2], in[3]);
	in[2] = 9, vi_col_input(&cat, NAN, in);
	ok = in[0] == 0 && in[1] == 0 && in[2] == 0 && in[3] == 0;
	CHECK(ok, "cat: NAN gives all zeros (%g %g %g %g)", in[0], in[1], in[2], in[3]);
	CHECK(vi_col_width(VAE_KIND_CAT, 4) == 4 && vi_col_width(VAE_KIND_BINARY, 2) == 1
	      && vi_col_width(VAE_KIND_COUNT, 0) == 1, "widths: cat its levels, others 1");
}

int main(void)
{
	alarm(60);      /* a draw that never ends fails the test, not make check */
	for (size_t i = 0; i < N_KINDS; i++) {
		test_gradients(&KINDS[i]);
		test_divergence(&KINDS[i]);
	}
	for (size_t i = 0; i < 3; i++)
		test_plain_model(&KINDS[i]);
	test_clamps();
	test_closed_forms();
	test_negbin_size();
	test_draws_real();
	test_draws_count();
	test_draws_nan();
	test_draws_cat();
	test_expect();
	test_value();
	test_input();
	return check_failed;
}
