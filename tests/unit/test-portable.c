/* test-portable.c: portable mode's own functions and product against
 * independent oracles: libm in double, and products summed in double; its
 * AVX2 and plain C products byte for byte. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "internal.h"

/* A float's place on the number line, so that neighbours differ by 1. */
static int64_t ordered(float f)
{
	int32_t i;

	memcpy(&i, &f, sizeof i);
	return i < 0 ? (int64_t)INT32_MIN - i : i;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

/* uniform in [lo, hi) */
static double uniform(double lo, double hi)
{
	rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
	return lo + (hi - lo) * (double)(rng_state >> 11) * 0x1.0p-53;
}

/* ======================================================================
 * The functions
 * ==================================================================== */

typedef double (*fn1)(double);

/* Largest distance in float ulps between own(x) and oracle(x), both
 * rounded to float, over n arguments from [lo, hi) or, log_scale set,
 * e^[lo, hi); also the largest relative error in double, at most ulps_max
 * units of 2^-52 (an ulp of 1). */
static void compare(const char *name, fn1 own, fn1 oracle, double lo, double hi, int log_scale,
                    int ulps_max)
{
	double rel_max = ulps_max * 0x1p-52;
	int64_t ulps = 0;
	double rel = 0, worst = 0;

	for (int i = 0; i < 200000; i++) {
		double u = uniform(lo, hi);
		float x = (float)(log_scale ? exp(u) : u);
		double a = own(x), b = oracle(x);
		int64_t d = llabs(ordered((float)a) - ordered((float)b));
		double r = b != 0 ? fabs(a - b) / fabs(b) : fabs(a);
		ulps = d > ulps ? d : ulps;
		if (r > rel) {
			rel = r;
			worst = x;
		}
	}
	CHECK(ulps <= 1, "%s: within 1 ulp of float on [%g, %g%s): %lld", name, lo, hi,
	      log_scale ? ", e^" : "", (long long)ulps);
	CHECK(rel <= rel_max, "%s: relative error in double %.3g, within %d ulp (at %.9g)", name,
	      rel, ulps_max, worst);
}

static void test_special(void)
{
	CHECK(vi_p_exp(0) == 1 && vi_p_exp(-INFINITY) == 0 && vi_p_exp(INFINITY) == INFINITY
	      && vi_p_exp(1000) == INFINITY && vi_p_exp(-1000) == 0 && isnan(vi_p_exp(NAN)),
	      "exp: 0, +-inf, overflow, underflow, NaN");
	CHECK(vi_p_log(1) == 0 && vi_p_log(0) == -INFINITY && isnan(vi_p_log(-1))
	      && vi_p_log(INFINITY) == INFINITY && isnan(vi_p_log(NAN))
	      && fabs(vi_p_log(0x1p-1074) - log(0x1p-1074)) < 1e-12,
	      "log: 1, 0, -1, inf, NaN, the least subnormal");
	CHECK(vi_p_log1p(0) == 0 && vi_p_log1p(-1) == -INFINITY && vi_p_log1p(1e-30) == 1e-30
	      && vi_p_log1p(INFINITY) == INFINITY && isnan(vi_p_log1p(-2)),
	      "log1p: 0, -1, tiny, inf, below -1");
	CHECK(vi_p_expm1(0) == 0 && vi_p_expm1(-INFINITY) == -1 && vi_p_expm1(1e-30) == 1e-30,
	      "expm1: 0, -inf, tiny");
	CHECK(vi_p_tanh(0) == 0 && vi_p_tanh(30) == 1 && vi_p_tanh(-30) == -1
	      && vi_p_tanh(1e-30) == 1e-30 && isnan(vi_p_tanh(NAN)), "tanh: 0, +-30, tiny, NaN");
	CHECK(fabs(vi_p_lgamma(1)) < 1e-14 && fabs(vi_p_lgamma(2)) < 1e-14
	      && vi_p_lgamma(0) == INFINITY && isnan(vi_p_lgamma(-1))
	      && vi_p_lgamma(INFINITY) == INFINITY, "lgamma: 1, 2, 0, -1, inf");
	CHECK(vi_p_pow(3, 0) == 1 && vi_p_pow(0, 2) == 0 && vi_p_pow(0, -1) == INFINITY
	      && fabs(vi_p_pow(2, 10) - 1024) < 1e-12, "pow: x^0, 0^y, 2^10");
	CHECK(vi_p_cos_turns(0) == 1 && vi_p_cos_turns(0.5) == -1 && vi_p_cos_turns(0.25) == 0
	      && vi_p_cos_turns(0.75) == 0, "cos_turns: at the quarter turns");
}

static double cos_turns_libm(double v)
{
	return cos(6.283185307179586 * v);
}

/* lgamma against libm's: absolute error where it is near 0 */
static void test_lgamma(void)
{
	double worst = 0, at = 0;

	for (int i = 0; i < 200000; i++) {
		double x = exp(uniform(-9, 30));
		double d = fabs(vi_p_lgamma(x) - lgamma(x)) / fmax(1, fabs(lgamma(x)));
		if (d > worst) {
			worst = d;
			at = x;
		}
	}
	CHECK(worst < 1e-14, "lgamma: error / max(1, |lgamma|) %.3g < 1e-14 on e^[-9, 30) (at %.9g)",
	      worst, at);
}

static void test_pow_cos(void)
{
	double worst = 0, cw = 0;

	for (int i = 0; i < 200000; i++) {
		double x = uniform(1e-3, 10), y = uniform(-60, 60), v = uniform(0, 1);
		double r = fabs(vi_p_pow(x, y) - pow(x, y)) / pow(x, y);
		double c = fabs(vi_p_cos_turns(v) - cos_turns_libm(v));
		worst = r > worst ? r : worst;
		cw = c > cw ? c : cw;
	}
	CHECK(worst < 1e-13, "pow: relative error %.3g < 1e-13 for x in [1e-3, 10), |y| < 60", worst);
	CHECK(cw < 2e-15, "cos_turns: error %.3g < 2e-15 (libm's 2 pi v itself is off by up to 9e-16)",
	      cw);
}

/* The float twins, as compare() takes them; their double error is 1e-10. */
static double expf_twin(double x)
{
	return vi_p_expf((float)x);
}

static double logf_twin(double x)
{
	return vi_p_logf((float)x);
}

static void test_functions(void)
{
	compare("expf", expf_twin, exp, -103, 88.7, 0, 1 << 20);
	compare("logf", logf_twin, log, -103, 88, 1, 1 << 20);
	compare("logf near 1", logf_twin, log, 0.9, 1.1, 0, 1 << 20);
	compare("logf of subnormals", logf_twin, log, -103, -87, 1, 1 << 20);
	compare("exp", vi_p_exp, exp, -103, 88.7, 0, 2);
	compare("exp near 0", vi_p_exp, exp, -1e-3, 1e-3, 0, 2);
	compare("log", vi_p_log, log, -103, 88, 1, 2);
	compare("log near 1", vi_p_log, log, 0.9, 1.1, 0, 2);
	compare("log1p", vi_p_log1p, log1p, -1, 10, 0, 2);
	compare("log1p tiny", vi_p_log1p, log1p, -40, -1, 1, 2);
	compare("log1p large", vi_p_log1p, log1p, 0, 80, 1, 2);
	compare("expm1", vi_p_expm1, expm1, -20, 20, 0, 4);
	compare("expm1 near 0", vi_p_expm1, expm1, -0.5, 0.5, 0, 4);
	compare("expm1 tiny", vi_p_expm1, expm1, -40, -1, 1, 4);
	compare("tanh", vi_p_tanh, tanh, -12, 12, 0, 4);
	compare("tanh near 0", vi_p_tanh, tanh, -0.5, 0.5, 0, 4);
	test_special();
	test_lgamma();
	test_pow_cos();
}

/* ======================================================================
 * The product
 * ==================================================================== */

/* op(X) element (i, j) of a row-major matrix whose op is rows x cols */
static float at(const float *x, int t, size_t rows, size_t cols, size_t i, size_t j)
{
	return t ? x[j * rows + i] : x[i * cols + j];
}

/* Largest |c - ref| over its bound k 2^-23 (|alpha| sum |a b| + |beta c0|)
 * + the final rounding's, for c from vi_gemm_portable(path). */
static double gemm_error(int ta, int tb, size_t m, size_t n, size_t k, float alpha, float beta,
                         const float *a, const float *b, const float *c0, const float *c)
{
	double worst = 0;

	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < n; j++) {
			double s = 0, mag = 0;
			for (size_t p = 0; p < k; p++) {
				double t = (double)at(a, ta, m, k, i, p) * at(b, tb, k, n, p, j);
				s += t;
				mag += fabs(t);
			}
			double ref = alpha * s + (beta != 0 ? beta * c0[i * n + j] : 0);
			double bound = (double)(k + 3) * 0x1p-23
			               * (fabs(alpha) * mag + fabs(beta * c0[i * n + j])) + 1e-30;
			double e = fabs(c[i * n + j] - ref) / bound;
			worst = e > worst ? e : worst;
		}
	return worst;
}

static void fill(float *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		x[i] = (float)uniform(-2, 2);
}

/* One shape and alpha, beta: both paths against the double sums, and
 * against each other. */
static void gemm_case(int ta, int tb, size_t m, size_t n, size_t k, float alpha, float beta)
{
	float *a = malloc((m * k + 1) * sizeof *a), *b = malloc((k * n + 1) * sizeof *b);
	float *c0 = malloc(m * n * sizeof *c0), *c1 = malloc(m * n * sizeof *c1);
	float *c2 = malloc(m * n * sizeof *c2);
	int avx2 = vi_gemm_has_avx2();

	fill(a, m * k);
	fill(b, k * n);
	fill(c0, m * n);
	memcpy(c1, c0, m * n * sizeof *c1);
	memcpy(c2, c0, m * n * sizeof *c2);
	vi_gemm_portable(ta, tb, m, n, k, alpha, a, b, beta, c1, VI_GEMM_C);
	if (avx2)
		vi_gemm_portable(ta, tb, m, n, k, alpha, a, b, beta, c2, VI_GEMM_AVX2);
	double e = gemm_error(ta, tb, m, n, k, alpha, beta, a, b, c0, c1);
	CHECK(e <= 1, "gemm %c%c %zux%zux%zu alpha %g beta %g: plain C within the bound (%.3g of it)",
	      ta ? 'T' : 'N', tb ? 'T' : 'N', m, n, k, alpha, beta, e);
	if (avx2)
		CHECK(!memcmp(c1, c2, m * n * sizeof *c1), "gemm %c%c %zux%zux%zu alpha %g beta %g: "
		      "AVX2 and plain C give the same bytes", ta ? 'T' : 'N', tb ? 'T' : 'N', m, n, k,
		      alpha, beta);
	free(a);
	free(b);
	free(c0);
	free(c1);
	free(c2);
}

/* A row of a 64-row block gives the same bytes alone. */
static void test_rows_alone(void)
{
	size_t m = 64, n = 40, k = 77;
	float *a = malloc(m * k * sizeof *a), *b = malloc(n * k * sizeof *b);
	float *c = calloc(m * n, sizeof *c), *r = calloc(n, sizeof *r);
	int same = 1;

	fill(a, m * k);
	fill(b, n * k);
	vi_gemm_portable(0, 1, m, n, k, 1, a, b, 0, c, VI_GEMM_BEST);
	for (size_t i = 0; i < m; i++) {
		vi_gemm_portable(0, 1, 1, n, k, 1, a + i * k, b, 0, r, VI_GEMM_BEST);
		same &= !memcmp(r, c + i * n, n * sizeof *r);
	}
	CHECK(same, "gemm: each row of a 64-row block alone gives the same bytes");
	free(a);
	free(b);
	free(c);
	free(r);
}

static void test_gemm(void)
{
	static const size_t shapes[][3] = {
		{ 1, 1, 1 }, { 64, 16, 10 }, { 7, 33, 5 }, { 13, 17, 300 }, { 65, 40, 64 },
		{ 3, 5, 0 }, { 6, 48, 1 }, { 11, 1, 29 },
	};
	static const float ab[][2] = { { 1, 0 }, { 1, 1 }, { 0.5f, -2 } };

	if (!vi_gemm_has_avx2())
		printf("no AVX2 and FMA here: the plain C product alone\n");
	for (int ta = 0; ta < 2; ta++)
		for (int tb = 0; tb < 2; tb++)
			for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++)
				for (size_t i = 0; i < sizeof ab / sizeof *ab; i++)
					gemm_case(ta, tb, shapes[s][0], shapes[s][1], shapes[s][2], ab[i][0],
					          ab[i][1]);
	test_rows_alone();
}

int main(void)
{
	test_functions();
	test_gemm();
	return check_failed;
}
