/* test-levels.c: a table's text columns: the level dictionary (levels.c),
 * the survey that chooses each column's kind and levels (survey.c), a
 * model's levels and kinds applied as rows are read, and missing cells
 * read as NAN (read.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "internal.h"

/* ======================================================================
 * The dictionary
 * ==================================================================== */

static void test_levels_basic(void)
{
	vi_levels *l = vi_levels_new();
	long a, b, a2;

	CHECK(l && vi_levels_count(l) == 0, "levels: a new one is empty");
	if (!l)
		return;
	a = vi_levels_add(l, "yes", 3);
	b = vi_levels_add(l, "no", 2);
	a2 = vi_levels_add(l, "yes", 3);
	CHECK(a == 0 && b == 1 && a2 == 0 && vi_levels_count(l) == 2,
	      "levels: indices in order of addition, a repeat is the same (%ld %ld %ld, %zu)",
	      a, b, a2, vi_levels_count(l));
	CHECK(vi_levels_find(l, "no", 2) == 1 && vi_levels_find(l, "yes", 3) == 0,
	      "levels: find by text");
	CHECK(vi_levels_find(l, "ye", 2) == -1 && vi_levels_find(l, "yess", 4) == -1
	      && vi_levels_find(l, "", 0) == -1, "levels: a prefix or extension is not found");
	CHECK(!strcmp(vi_levels_text(l, 1), "no") && vi_levels_len(l, 1) == 2,
	      "levels: the text kept, NUL-terminated");
	CHECK(vi_levels_add(l, "yes!", 3) == 0, "levels: only len bytes count");
	CHECK(vi_levels_add(l, "", 0) == 2 && vi_levels_find(l, "", 0) == 2,
	      "levels: the empty text is a text");
	vi_levels_free(l);
	vi_levels_free(NULL);
}

static void test_levels_nul(void)
{
	vi_levels *l = vi_levels_new();

	if (!l)
		return;
	long ab = vi_levels_add(l, "a\0b", 3), ac = vi_levels_add(l, "a\0c", 3),
	     a = vi_levels_add(l, "a", 1);
	CHECK(ab == 0 && ac == 1 && a == 2, "levels: texts with NUL bytes are distinct (%ld %ld %ld)",
	      ab, ac, a);
	CHECK(vi_levels_find(l, "a\0c", 3) == 1 && vi_levels_len(l, 1) == 3
	      && !memcmp(vi_levels_text(l, 1), "a\0c", 4), "levels: a NUL byte kept, then the NUL");
	float v = 5;
	CHECK(!vi_levels_value(l, 0, &v) && v == 5, "levels: \"a\\0b\" is no number");
	vi_levels_add(l, "7\0" "8", 3);
	CHECK(vi_levels_find_value(l, 7) == -1, "levels: \"7\\08\" is no number");
	vi_levels_free(l);
}

static void test_levels_value(void)
{
	vi_levels *l = vi_levels_new();
	float v = 0;

	if (!l)
		return;
	vi_levels_add(l, "x", 1);
	vi_levels_add(l, "1", 1);
	vi_levels_add(l, "1.0", 3);
	vi_levels_add(l, "2.5", 3);
	vi_levels_add(l, "-0", 2);
	vi_levels_add(l, "inf", 3);
	vi_levels_add(l, "NaN", 3);
	vi_levels_add(l, "1e2", 3);
	CHECK(vi_levels_find_value(l, 1.0f) == 1, "levels by value: 1 is the first level of 1, \"1\" "
	      "(got %ld)", vi_levels_find_value(l, 1.0f));
	CHECK(vi_levels_find(l, "1.0", 3) == 2, "levels by value: \"1.0\" is still its own text");
	CHECK(vi_levels_find_value(l, 2.5f) == 3 && vi_levels_find_value(l, 100) == 7,
	      "levels by value: 2.5 and 1e2");
	CHECK(vi_levels_find_value(l, 0.0f) == 4 && vi_levels_find_value(l, -0.0f) == 4,
	      "levels by value: 0 finds \"-0\", and -0 too");
	CHECK(vi_levels_find_value(l, 3) == -1 && vi_levels_find_value(l, NAN) == -1
	      && vi_levels_find_value(l, INFINITY) == -1, "levels by value: absent, NAN and inf");
	CHECK(vi_levels_value(l, 3, &v) && v == 2.5f, "levels: the value of \"2.5\" (%g)", v);
	CHECK(!vi_levels_value(l, 0, &v) && !vi_levels_value(l, 5, &v) && !vi_levels_value(l, 6, &v),
	      "levels: \"x\", \"inf\" and \"NaN\" are no finite numbers");
	vi_levels_free(l);
}

static void test_levels_many(void)
{
	vi_levels *l = vi_levels_new();
	char s[32];
	int ok = 1, found = 1, values = 1;

	if (!l)
		return;
	for (long i = 0; i < 100000 && ok; i++) {
		int n = snprintf(s, sizeof s, i % 2 ? "t%ld" : "%ld", i);
		ok = vi_levels_add(l, s, (size_t)n) == i;
	}
	for (long i = 0; i < 100000 && found; i++) {
		int n = snprintf(s, sizeof s, i % 2 ? "t%ld" : "%ld", i);
		found = vi_levels_find(l, s, (size_t)n) == i
		     && !strcmp(vi_levels_text(l, (size_t)i), s);
		values = values && vi_levels_find_value(l, (float)i) == (i % 2 ? -1 : i);
	}
	CHECK(ok && vi_levels_count(l) == 100000, "levels: 100000 texts added in order");
	CHECK(found, "levels: each of 100000 found after the tables grew");
	CHECK(values, "levels: each even number found by value, no odd one");
	CHECK(vi_levels_find(l, "t0", 2) == -1 && vi_levels_find(l, "100000", 6) == -1,
	      "levels: texts never added are not found among 100000");
	vi_levels_free(l);
}

int main(void)
{
	test_levels_basic();
	test_levels_nul();
	test_levels_value();
	test_levels_many();
	return check_failed;
}
