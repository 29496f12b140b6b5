/* number.h: decimal floats in and out, exactly as strtof reads them and
 * printf's %.*g writes them, without their cost. */
#ifndef VAE_NUMBER_H
#define VAE_NUMBER_H

#include <stddef.h>
#include <stdint.h>

/* The fast path of a decimal at p (before end): at most 7 significant
 * digits (mantissa up to 2^24) and a power of ten up to 10^10, both exact
 * in float, so a single multiply or divide rounds once: the correctly
 * rounded float, the very one strtof gives (Clinger's fast path, in float
 * so nothing rounds twice).  @return where the number stops, with *out
 * set, or NULL for anything else (strtof's to handle).  Inline: the CSV
 * reader calls it once a field in its hot loop. */
static inline const char *vi_scan_float(const char *p, const char *end, float *out)
{
	static const float POW10[] = { 1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f,
	                               1e7f, 1e8f, 1e9f, 1e10f };
	uint32_t m = 0;
	int neg = 0, exp10 = 0, digits = 0, e = 0, eneg = 0;

	if (p < end && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	for (; p < end && *p >= '0' && *p <= '9'; p++, digits++)
		if ((m = m * 10 + (uint32_t)(*p - '0')) > (1u << 24))
			return NULL;
	if (p < end && *p == '.')
		for (p++; p < end && *p >= '0' && *p <= '9'; p++, digits++, exp10--)
			if ((m = m * 10 + (uint32_t)(*p - '0')) > (1u << 24))
				return NULL;
	if (digits == 0)
		return NULL;
	if (p < end && (*p == 'e' || *p == 'E')) {
		if (++p < end && (*p == '-' || *p == '+'))
			eneg = *p++ == '-';
		if (p == end || *p < '0' || *p > '9')
			return NULL;
		for (; p < end && *p >= '0' && *p <= '9' && e < 100; p++)
			e = e * 10 + (*p - '0');
		exp10 += eneg ? -e : e;
	}
	if (exp10 < -10 || exp10 > 10)
		return NULL;
	*out = exp10 >= 0 ? (float)m * POW10[exp10] : (float)m / POW10[-exp10];
	if (neg)
		*out = -*out;
	return p;
}

/* Parse a whole field as a float: 0, -1 when it is no number, -2 when it
 * is one but not finite. */
int vi_parse_float(const char *s, size_t len, float *out);

/* v as snprintf(b, 48, "%.*g", precision, (double)v) writes it, byte for
 * byte, without its cost for precisions 1 to 9.  @return the length. */
int vi_format_float(char *b, float v, int precision);

#endif
