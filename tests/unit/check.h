/* check.h: the unit tests' one assertion; tests/run counts PASS and FAIL lines. */
#ifndef CHECK_H
#define CHECK_H

#include <math.h>
#include <stdio.h>

static int check_failed;

/* Print "PASS name" or "FAIL name: why" with printf-style details. */
#define CHECK(cond, ...) do { \
	if (cond) { printf("PASS "); } else { printf("FAIL "); check_failed = 1; } \
	printf(__VA_ARGS__); putchar('\n'); \
} while (0)

/* ||a - n|| / ||a + n|| over len values (||a - n|| when both are 0): the
 * gradient checks' distance between analytic and numeric derivatives. */
static inline double rel_err(const double *a, const double *n, size_t len)
{
	double d = 0, s = 0;

	for (size_t i = 0; i < len; i++) {
		d += (a[i] - n[i]) * (a[i] - n[i]);
		s += (a[i] + n[i]) * (a[i] + n[i]);
	}
	return s > 0 ? sqrt(d / s) : sqrt(d);
}

#endif
