/* number.c: decimal floats in and out (see number.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "number.h"

int vi_parse_float(const char *s, size_t len, float *out)
{
	char *end;

	if (len == 0)
		return -1;
	if (vi_scan_float(s, s + len, out) == s + len)
		return 0;
	*out = strtof(s, &end);
	while (end < s + len && (*end == ' ' || *end == '\t'))
		end++;
	if (end == s || end != s + len)
		return -1;
	return isfinite(*out) ? 0 : -2;
}

/* ======================================================================
 * Floats as printf's %.*g prints them, several times faster
 * ==================================================================== */

__extension__ typedef unsigned __int128 u128;

static const uint64_t POW10[20] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
	10000000000ULL, 100000000000ULL, 1000000000000ULL, 10000000000000ULL,
	100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
	100000000000000000ULL, 1000000000000000000ULL, 10000000000000000000ULL
};

/* m 2^e2 / 10^k to the nearest integer, ties to even, as printf rounds,
 * exactly, in 128-bit integers; the quotient before rounding into *fl.
 * @return 0, or -1 when the numbers would not fit (tiny or huge values). */
static int scaled(uint32_t m, int e2, int k, uint64_t *d, uint64_t *fl)
{
	int up2 = e2 > 0 ? e2 : 0, down2 = e2 < 0 ? -e2 : 0;
	int up10 = k < 0 ? -k : 0, down10 = k > 0 ? k : 0;
	u128 num, q, r, den;
	int up;

	/* with up2 > 0 the value is at least 2^24, so up10 <= 1 */
	if (up10 > 19 || down10 > 19 || up2 > 100 || down2 > 100)
		return -1;
	num = ((u128)m * POW10[up10]) << up2;
	if (!down10) {                  /* a power of two below: shifts */
		q = num >> down2;
		r = num - (q << down2);
		up = down2 && (r > (u128)1 << (down2 - 1)
		               || (r == (u128)1 << (down2 - 1) && (q & 1)));
	} else {
		den = (u128)POW10[down10] << down2;
		q = num / den;
		r = num % den;
		up = 2 * r > den || (2 * r == den && (q & 1));
	}
	if (q >> 62)
		return -1;
	*fl = (uint64_t)q;
	*d = (uint64_t)q + (uint64_t)up;
	return 0;
}

int vi_format_float(char *b, float v, int precision)
{
	int p = precision, x, e2, n = 0, len;
	uint32_t bits, m;
	uint64_t d, fl;
	char dig[16];

	memcpy(&bits, &v, sizeof bits);
	if (p < 1 || p > 9 || !isfinite(v) || (bits & 0x7fffffff) == 0)
		return snprintf(b, 48, "%.*g", p, (double)v);
	e2 = (int)(bits >> 23 & 0xff);
	m = bits & 0x7fffff;
	if (e2)
		m |= 0x800000;
	e2 = (e2 ? e2 : 1) - 150;
	/* x: the decimal exponent, from log10(2) times the binary one (off by
	 * one at most), corrected on the exact value */
	x = (int)floor((31 - __builtin_clz(m) + e2) * 0.30102999566398120);
	for (int tries = 0;; tries++) {
		if (tries == 3 || scaled(m, e2, x - p + 1, &d, &fl))
			return snprintf(b, 48, "%.*g", p, (double)v);
		if (fl >= POW10[p])
			x++;
		else if (fl < POW10[p - 1])
			x--;
		else
			break;
	}
	if (d == POW10[p]) {              /* 9.99..95 rounded up a decade */
		d = POW10[p - 1];
		x++;
	}
	for (int i = p - 1; i >= 0; i--, d /= 10)
		dig[i] = (char)('0' + d % 10);
	for (len = p; len > 1 && dig[len - 1] == '0'; len--)
		;                       /* %g drops trailing zeros */
	if (bits >> 31)
		b[n++] = '-';
	if (x < -4 || x >= p) {         /* d.ddde+XX */
		b[n++] = dig[0];
		if (len > 1)
			b[n++] = '.';
		for (int i = 1; i < len; i++)
			b[n++] = dig[i];
		n += sprintf(b + n, "e%c%02d", x < 0 ? '-' : '+', x < 0 ? -x : x);
		return n;
	}
	if (x < 0) {                    /* 0.000ddd */
		b[n++] = '0';
		b[n++] = '.';
		for (int i = -1; i > x; i--)
			b[n++] = '0';
		for (int i = 0; i < len; i++)
			b[n++] = dig[i];
	} else {                        /* ddd.ddd */
		for (int i = 0; i <= x; i++)
			b[n++] = dig[i];
		if (len > x + 1)
			b[n++] = '.';
		for (int i = x + 1; i < len; i++)
			b[n++] = dig[i];
	}
	b[n] = 0;
	return n;
}

