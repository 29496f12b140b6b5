/* check.h: the unit tests' one assertion; tests/run counts PASS and FAIL lines. */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>

static int check_failed;

/* Print "PASS name" or "FAIL name: why" with printf-style details. */
#define CHECK(cond, ...) do { \
	if (cond) { printf("PASS "); } else { printf("FAIL "); check_failed = 1; } \
	printf(__VA_ARGS__); putchar('\n'); \
} while (0)

#endif
