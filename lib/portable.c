/* portable.c: the switch to portable mode, and the mathematical functions
 * that mode computes with: the same bytes on every host.
 *
 * libm's exp, log, lgamma... are not the same function everywhere: glibc
 * picks an FMA variant of several of them by CPU, and versions of glibc
 * round the last bit differently.  These are evaluated in double with a
 * fixed argument reduction and fixed polynomials (Taylor series, or the
 * atanh series for log, taken far enough that the series' error is below
 * 1e-17), every operation an IEEE one that the Makefile keeps from being
 * fused (-ffp-contract=off); frexp, ldexp, floor, fabs and sqrt are exact
 * or correctly rounded everywhere.  They are within a few units in the
 * last place of a double, so the float wrappers in internal.h, which round
 * them to float, are within 1 ulp (tests/unit/test-portable.c checks both
 * against libm). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

int vi_portable;

void vae_set_portable(int on)
{
	vi_portable = on != 0;
}

int vae_portable(void)
{
	return vi_portable;
}

#define LN2_HI 6.93147180369123816490e-01   /* 32 bits: k LN2_HI is exact for |k| < 2^21 */
#define LN2_LO 1.90821492927058770002e-10
#define LOG2E 1.44269504088896338700
#define LOG_2PI 1.8378770664093453
#define SQRT_2 1.41421356237309504880
#define TWO_PI 6.28318530717958647693

/* sum of c[i] t^i for i = 0..n-1, by Horner's rule, always in this order */
static double horner(const double *c, int n, double t)
{
	double s = c[n - 1];

	for (int i = n - 2; i >= 0; i--)
		s = s * t + c[i];
	return s;
}

/* 1 / n! for n = 0..14: exp's and expm1's series */
static const double inv_fact[15] = {
	1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320,
	1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600, 1.0 / 6227020800.0,
	1.0 / 87178291200.0
};

/* x's binary exponent e and x 2^-e in [1, 2), for a normal positive x:
 * by the bits, as frexp would, but inline (the library call was a tenth
 * of portable scoring's time). */
static double split(double x, int *e)
{
	uint64_t b;

	memcpy(&b, &x, sizeof b);
	*e = (int)(b >> 52) - 1023;
	b = (b & 0x000fffffffffffffu) | 0x3ff0000000000000u;
	memcpy(&x, &b, sizeof x);
	return x;
}

/* 2^k for an integer k in [-1022, 1023] */
static double pow2(int k)
{
	uint64_t b = (uint64_t)(k + 1023) << 52;
	double x;

	memcpy(&x, &b, sizeof x);
	return x;
}

/* e^x = 2^k e^r, x = k log 2 + r, |r| <= log 2 / 2, e^r by its series to
 * r^(n-1): n 15 leaves below 2e-19, n 10 (for a float) below 7e-12.  2^k
 * in two factors, so that results near the ends of the range (k 1024,
 * subnormals) come out as ldexp would give them. */
static double exp_series(double x, int n)
{
	if (x != x)
		return x;
	if (x > 709.8)
		return INFINITY;
	if (x < -745.2)
		return 0;
	double k = floor(x * LOG2E + 0.5);
	double r = (x - k * LN2_HI) - k * LN2_LO, p = horner(inv_fact, n, r);
	int k1 = (int)k / 2;
	return p * pow2(k1) * pow2((int)k - k1);
}

double vi_p_exp(double x)
{
	return exp_series(x, 15);
}

double vi_p_expf(float x)
{
	return exp_series(x, 10);
}

/* e^x - 1: the series near 0, where e^x - 1 would cancel */
double vi_p_expm1(double x)
{
	if (fabs(x) < 0.35)
		return x * horner(inv_fact + 1, 14, x);
	return vi_p_exp(x) - 1;
}

/* 2 / (2i + 3): log's atanh series in z = s^2 */
static const double log_c[11] = {
	2.0 / 3, 2.0 / 5, 2.0 / 7, 2.0 / 9, 2.0 / 11, 2.0 / 13, 2.0 / 15, 2.0 / 17, 2.0 / 19,
	2.0 / 21, 2.0 / 23
};

/* x = 2^e m, m in [sqrt(1/2), sqrt(2)), f = m - 1 (exact), s = f / (2 + f):
 * log m = 2 atanh s = 2s + s R(s^2) = f - s (f - R), as fdlibm writes it,
 * R to n terms: s^2 <= 0.03, so 11 leave below 1e-19, 6 (for a float)
 * below 3e-11.  Subnormals are scaled up first. */
static double log_series(double x, int n)
{
	int e, sub = 0;

	if (x != x || x == INFINITY)
		return x;
	if (x < 0)
		return NAN;
	if (x == 0)
		return -INFINITY;
	if (x < 0x1p-1022) {
		x *= 0x1p54;
		sub = 54;
	}
	double m = split(x, &e);
	if (m > SQRT_2) {
		m *= 0.5;
		e++;
	}
	e -= sub;
	double f = m - 1, s = f / (2 + f), z = s * s;
	double lm = f - s * (f - z * horner(log_c, n, z));
	return e * LN2_HI + (lm + e * LN2_LO);
}

double vi_p_log(double x)
{
	return log_series(x, 11);
}

double vi_p_logf(float x)
{
	return log_series(x, 6);
}

/* log(1 + x) = log(u) x / (u - 1), u = 1 + x rounded (Goldberg 1991): the
 * quotient makes up for what the rounding of u lost. */
double vi_p_log1p(double x)
{
	double u = 1 + x;

	if (u == 1)
		return x;
	if (x == INFINITY)
		return x;
	return vi_p_log(u) * (x / (u - 1));
}

/* tanh |x| = -e / (2 + e), e = e^(-2|x|) - 1, which keeps its digits near 0 */
double vi_p_tanh(double x)
{
	double a = fabs(x), t = 1;

	if (!(a > 22)) {
		double e = vi_p_expm1(-2 * a);
		t = -e / (2 + e);
	}
	return copysign(t, x);
}

/* log Gamma(x) for x > 0 (NAN below, +inf at 0): shifted up to x >= 10 by
 * Gamma(x) = Gamma(x + n) / (x (x + 1) ... (x + n - 1)), then Stirling's
 * series to its x^-15 term, whose rest is below 3e-17 there.  Absolute
 * error about 1e-15 where lgamma is near 0 (at 1 and 2). */
double vi_p_lgamma(double x)
{
	double p = 1;

	if (!(x >= 0))
		return NAN;
	if (x == 0 || x == INFINITY)
		return INFINITY;
	for (; x < 10; x++)
		p *= x;
	double z = 1 / (x * x);
	double s = (1.0 / 12 - z * (1.0 / 360 - z * (1.0 / 1260 - z * (1.0 / 1680 - z * (1.0 / 1188
	           - z * (691.0 / 360360 - z * (1.0 / 156 - z * (3617.0 / 122400)))))))) / x;
	return (x - 0.5) * vi_p_log(x) - x + 0.5 * LOG_2PI + s - vi_p_log(p);
}

/* x^y for x >= 0 (NAN below) as e^(y log x): the exponents these take are
 * small, so the error stays within a few ulp of a double */
double vi_p_pow(double x, double y)
{
	if (y == 0)
		return 1;
	if (x == 0)
		return y > 0 ? 0 : INFINITY;
	return vi_p_exp(y * vi_p_log(x));
}

/* (-1)^i / (2i)! and (-1)^i / (2i + 1)!: the series of cos and sin on
 * [-pi/4, pi/4], whose rest is below 1e-19 */
static const double cos_c[10] = {
	1.0, -1.0 / 2, 1.0 / 24, -1.0 / 720, 1.0 / 40320, -1.0 / 3628800, 1.0 / 479001600,
	-1.0 / 87178291200.0, 1.0 / 20922789888000.0, -1.0 / 6402373705728000.0
};
static const double sin_c[9] = {
	1.0, -1.0 / 6, 1.0 / 120, -1.0 / 5040, 1.0 / 362880, -1.0 / 39916800,
	1.0 / 6227020800.0, -1.0 / 1307674368000.0, 1.0 / 355687428096000.0
};

/* cos(2 pi v): v less the nearest quarter turn q / 4 is exact for a v
 * in [0, 1) of the 2^-53 grid (a uniform draw's), so the reduction adds no
 * error; then cos or sin of the rest, signed by the quarter. */
double vi_p_cos_turns(double v)
{
	if (!isfinite(v))
		return NAN;
	double q = floor(4 * v + 0.5), f = (v - 0.25 * q) * TWO_PI, f2 = f * f;
	switch ((long long)q & 3) {
	case 0: return horner(cos_c, 10, f2);
	case 1: return -f * horner(sin_c, 9, f2);
	case 2: return -horner(cos_c, 10, f2);
	default: return f * horner(sin_c, 9, f2);
	}
}
