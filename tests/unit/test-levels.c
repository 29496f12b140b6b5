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

static const char *const KIND[] = { "real", "positive", "count", "binary", "cat" };

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

/* ======================================================================
 * Reading files
 * ==================================================================== */

/* n bytes at p as a temporary file; its name into path (64 bytes).
 * @return 0, or -1. */
static int temp_file(char *path, const void *p, size_t n)
{
	int fd;

	strcpy(path, "/tmp/test-levels.XXXXXX");
	if ((fd = mkstemp(path)) < 0)
		return -1;
	if (write(fd, p, n) != (ssize_t)n) {
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	return 0;
}

/* An NPY file of rows x cols float32 (little-endian hosts only: its
 * bytes are the host's). */
static size_t npy_bytes(unsigned char *b, const float *v, size_t rows, size_t cols)
{
	char dict[128];
	int n = snprintf(dict, sizeof dict, "{'descr': '<f4', 'fortran_order': False, "
	                 "'shape': (%zu, %zu), }", rows, cols);
	size_t hlen = 64 - 10;

	while (hlen < (size_t)n + 1)
		hlen += 64;
	memcpy(b, "\x93NUMPY\x01\x00", 8);
	b[8] = (unsigned char)(hlen & 0xff);
	b[9] = (unsigned char)(hlen >> 8);
	memset(b + 10, ' ', hlen);
	memcpy(b + 10, dict, (size_t)n);
	b[10 + hlen - 1] = '\n';
	memcpy(b + 10 + hlen, v, rows * cols * sizeof *v);
	return 10 + hlen + rows * cols * sizeof *v;
}

/* What a read gave: its rows (grown chunk by chunk, copied with memcpy as
 * vae-fit's loading does), or the error that ended it. */
typedef struct got {
	vae_mat x;
	int rc;
	vae_err e;
	unsigned long skipped;
	char kept[256];
} got;

enum { SURVEY = 1, KEEP_ALL = 2, SELECT_AGAIN = 4 };

/* Read the file at path (missing: enum vae_missing) through the survey s
 * or the model m (by its names when it has some, else every field).  */
static got read_path(const char *path, int missing, const vae_model *m, vae_survey *s, int flags)
{
	vae_read_opts o = vae_read_defaults();
	const char *names[8];
	size_t n = m ? vae_model_arch(m)->n_in : 0, chunk = 3;
	vae_text keep;
	vae_reader *r;
	got g;
	long k;

	memset(&g, 0, sizeof g);
	memset(&keep, 0, sizeof keep);
	o.missing = missing;
	if (!(r = vae_reader_open(path, &o, &g.e))) {
		g.rc = g.e.code;
		return g;
	}
	for (size_t j = 0; j < n && j < 8; j++)
		names[j] = vae_model_name(m, j);
	g.rc = vae_reader_select(r, NULL, NULL, m && names[0] ? names : NULL, n, &g.e);
	if (!g.rc && m)
		g.rc = vae_reader_use_model(r, m, &g.e);
	if (!g.rc && s)
		g.rc = vae_reader_survey(r, s, &g.e);
	if (!g.rc && (flags & SELECT_AGAIN))
		g.rc = vae_reader_select(r, NULL, NULL, NULL, n, &g.e);
	vae_reader_keep_all(r, !!(flags & KEEP_ALL));
	g.x.cols = vae_reader_n_cols(r);
	do {
		vae_mat c = { 0, g.x.cols, malloc(chunk * (g.x.cols + 1) * sizeof(float)) };
		k = g.rc ? 0 : vae_reader_read(r, &c, &keep, chunk, &g.e);
		g.x.x = realloc(g.x.x, (g.x.rows + c.rows) * (g.x.cols + 1) * sizeof(float));
		memcpy(g.x.x + g.x.rows * g.x.cols, c.x, c.rows * c.cols * sizeof(float));
		for (size_t i = 0; i < keep.rows && (flags & KEEP_ALL); i++)
			for (size_t f = 0; f < keep.cols; f++) {
				size_t at = strlen(g.kept), len;
				snprintf(g.kept + at, sizeof g.kept - at, "%s%s", at ? "|" : "",
				         vae_text_field(&keep, i, f, &len));
			}
		g.x.rows += c.rows;
		free(c.x);
	} while (k > 0);
	if (k < 0)
		g.rc = (int)k;
	g.skipped = vae_reader_skipped(r);
	vae_text_release(&keep);
	vae_reader_close(r);
	return g;
}

static got read_bytes(const void *p, size_t len, int missing, const vae_model *m,
                      vae_survey *s, int flags)
{
	char path[64];
	got g;

	memset(&g, 0, sizeof g);
	g.rc = -100;
	if (temp_file(path, p, len))
		return g;
	g = read_path(path, missing, m, s, flags);
	unlink(path);
	return g;
}

static got read_text(const char *csv, int missing, const vae_model *m, vae_survey *s, int flags)
{
	return read_bytes(csv, strlen(csv), missing, m, s, flags);
}

/* Bit for bit, NAN as NAN. */
static int same(const vae_mat *x, const float *want, size_t n, size_t *at)
{
	if (x->rows * x->cols != n) {
		*at = (size_t)-1;
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		if (memcmp(x->x + i, want + i, sizeof *want)) {
			*at = i;
			return 0;
		}
	return 1;
}

#define W(...) (const float[]){ __VA_ARGS__ }, sizeof (const float[]){ __VA_ARGS__ } / sizeof(float)

/* ======================================================================
 * The survey
 * ==================================================================== */

/* A survey of the CSV text: read it, then decide. */
typedef struct decided {
	got g;
	vae_column *cols;
	int rc;
	vae_err e;
} decided;

static decided survey_with(const char *csv, int missing, const int *kinds, int numbers, int other,
                           int names)
{
	decided d;
	vae_survey *s;
	const char *nm[8] = { "a", "b", "c", "d", "e", "f", "g", "h" };
	size_t width = 0;

	memset(&d, 0, sizeof d);
	for (const char *p = csv; *p && *p != '\n'; p++)
		width += *p == ',';
	s = vae_survey_new(width + 1);
	d.g = read_text(csv, missing, NULL, s, SURVEY);
	d.rc = d.g.rc;
	d.e = d.g.e;
	if (!d.rc)
		d.rc = vae_survey_decide(s, &d.g.x, kinds, numbers, other, names ? nm : NULL, &d.cols,
		                         &d.e);
	vae_survey_free(s);
	return d;
}

static decided survey(const char *csv, int missing)
{
	return survey_with(csv, missing, NULL, -1, 0, 1);
}

static void decided_free(decided *d)
{
	vae_columns_free(d->cols, d->g.x.cols);
	free(d->g.x.x);
}

/* Column j's levels joined by '|'. */
static const char *levels_of(const decided *d, size_t j, char *b, size_t cap)
{
	b[0] = 0;
	if (!d->cols)
		return b;
	for (size_t i = 0; i < d->cols[j].n_levels; i++) {
		size_t at = strlen(b);
		snprintf(b + at, cap - at, "%s%s", i ? "|" : "", d->cols[j].levels[i]);
	}
	return b;
}

/* Column j is of kind with levels (NULL: none) and x (NULL: not checked). */
static void check_column(const char *name, const decided *d, size_t j, int kind,
                         const char *levels, const float *x, size_t n)
{
	char b[4096];
	size_t at = 0;

	if (d->rc) {
		CHECK(0, "%s: %s", name, d->e.msg);
		return;
	}
	CHECK(d->cols[j].kind == kind, "%s: kind %s (got %s)", name, KIND[kind],
	      d->cols[j].kind >= 0 && d->cols[j].kind < 5 ? KIND[d->cols[j].kind] : "?");
	CHECK(!strcmp(levels_of(d, j, b, sizeof b), levels ? levels : "")
	      && d->cols[j].n_levels == (levels ? d->cols[j].n_levels : 0),
	      "%s: levels \"%s\" (got \"%s\", %zu)", name, levels ? levels : "", b,
	      d->cols[j].n_levels);
	if (x) {
		vae_mat col = { d->g.x.rows, 1, malloc((d->g.x.rows + 1) * sizeof(float)) };
		for (size_t i = 0; i < d->g.x.rows; i++)
			memcpy(col.x + i, d->g.x.x + i * d->g.x.cols + j, sizeof(float));
		int ok = same(&col, x, n, &at);
		CHECK(ok, "%s: values as levels (at %zu: %g)", name, at,
		      at < col.rows ? col.x[at] : -1.0);
		free(col.x);
	}
}

static void check_error(const char *name, const decided *d, int code, const char *msg)
{
	CHECK(d->rc == code && strstr(d->e.msg, msg), "%s: %s \"%s\" (got %d \"%s\")", name,
	      vae_strerror(code), msg, d->rc, d->rc ? d->e.msg : "");
}

static void test_survey_binary(void)
{
	decided d = survey("a,b\nyes,1\nno,0\nyes,0\nyes,1\n", VAE_MISSING_ERROR);
	check_column("survey: yes/no is binary", &d, 0, VAE_KIND_BINARY, "no|yes", W(1, 0, 1, 1));
	check_column("survey: 0/1 is binary", &d, 1, VAE_KIND_BINARY, "0|1", W(1, 0, 0, 1));
	CHECK(!d.rc && !d.cols[0].other && !d.cols[1].other, "survey: a binary column has no other");
	decided_free(&d);

	d = survey("a\n2\n1\n1.0\n2\n", VAE_MISSING_ERROR);
	check_column("survey: 1 and 2 are binary, 1.0 is 1", &d, 0, VAE_KIND_BINARY, "1|2",
	             W(1, 0, 0, 1));
	decided_free(&d);

	d = survey("a,b\nyes,1\n?,2\nno,3\n\"\",4\n", VAE_MISSING_MASK);
	check_column("survey: a missing cell is no level", &d, 0, VAE_KIND_BINARY, "no|yes",
	             W(1, NAN, 0, NAN));
	decided_free(&d);
}

static void test_survey_cat(void)
{
	decided d = survey("a,b\nred,x\n?,y\nblue,\ngreen,NA\nred,z\n", VAE_MISSING_MASK);
	check_column("survey: text + ? is cat without ?", &d, 0, VAE_KIND_CAT, "blue|green|red",
	             W(2, NAN, 0, 1, 2));
	check_column("survey: a, NA and empty are missing", &d, 1, VAE_KIND_CAT, "x|y|z",
	             W(0, 1, NAN, NAN, 2));
	decided_free(&d);

	d = survey("a\nb\nab\na\nB\n", VAE_MISSING_ERROR);
	check_column("survey: bytewise, the shorter first", &d, 0, VAE_KIND_CAT, "B|a|ab|b",
	             W(3, 2, 1, 0));
	decided_free(&d);

	d = survey("a\nx\n2\n10\nw\nv\n2.0\n", VAE_MISSING_ERROR);
	check_column("survey: text and numbers, bytewise; 2.0 is 2", &d, 0, VAE_KIND_CAT,
	             "10|2|v|w|x", W(4, 1, 0, 3, 2, 1));
	decided_free(&d);

	d = survey("a\n4\n6\n8\nrotary\n6\n", VAE_MISSING_ERROR);
	check_column("survey: a few numbers and a word are a category", &d, 0, VAE_KIND_CAT,
	             "4|6|8|rotary", W(0, 1, 2, 3, 1));
	decided_free(&d);

	char many[256] = "a\n";
	for (int i = 0; i < 21; i++)
		snprintf(many + strlen(many), sizeof many - strlen(many), "%d.5\n", i);
	strcat(many, "x\n");
	d = survey(many, VAE_MISSING_ERROR);
	check_error("survey: many numbers and a word is no guess", &d, VAE_EDATA,
	            "holds numbers, and text: \"x\"");
	decided_free(&d);

	d = survey_with("a,b\nx,0\ny,10\nz,100\n", VAE_MISSING_ERROR, NULL, -1, 1, 1);
	check_column("survey: other is cat's last level", &d, 0, VAE_KIND_CAT, "x|y|z|(other)",
	             W(0, 1, 2));
	CHECK(!d.rc && d.cols[0].other == 1, "survey: other is set in a cat column");
	CHECK(!d.rc && d.cols[1].kind == VAE_KIND_COUNT && !d.cols[1].other,
	      "survey: other leaves a count column alone");
	decided_free(&d);

	d = survey_with("a\nx\ny\n", VAE_MISSING_ERROR, NULL, -1, 1, 1);
	check_column("survey: with other, two texts make a cat, for the values to come", &d, 0,
	             VAE_KIND_CAT, "x|y|(other)", W(0, 1));
	decided_free(&d);
}

/* n rows, each a distinct text (numbers: every third row a number) */
static char *many_rows(size_t n, int numbers)
{
	char *b = malloc(n * 16 + 8), *p = b;

	p += sprintf(p, "a\n");
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, numbers && i % 3 == 0 ? "%zu\n" : "t%zu\n", i);
	return b;
}

static void test_survey_many(void)
{
	char *csv = many_rows(1000, 0);
	decided d = survey(csv, VAE_MISSING_ERROR);
	CHECK(!d.rc && d.cols[0].kind == VAE_KIND_CAT && d.cols[0].n_levels == 1000,
	      "survey: 1000 distinct texts make a cat column (%s)", d.rc ? d.e.msg : "");
	decided_free(&d);
	free(csv);

	csv = many_rows(1001, 0);
	d = survey(csv, VAE_MISSING_ERROR);
	check_error("survey: 1001 distinct texts", &d, VAE_EDATA, "column \"a\" has more than 1000 "
	            "distinct values, not a category: keep it with -k or leave it out with -f");
	decided_free(&d);
	free(csv);

	csv = many_rows(1500, 1);
	d = survey(csv, VAE_MISSING_ERROR);
	check_error("survey: texts and numbers, more than 1000", &d, VAE_EDATA,
	            "more than 1000 distinct values");
	decided_free(&d);
	free(csv);

	/* 2000 distinct numbers: no category, but a fine real column */
	char *b = malloc(2000 * 16 + 8), *p = b;
	p += sprintf(p, "a\n");
	for (int i = 0; i < 2000; i++)
		p += sprintf(p, "%d.5\n", i - 1000);
	d = survey(b, VAE_MISSING_ERROR);
	CHECK(!d.rc && d.cols[0].kind == VAE_KIND_REAL && d.g.x.x[1999] == 999.5f,
	      "survey: 2000 distinct numbers make a real column (%s)", d.rc ? d.e.msg : "");
	decided_free(&d);
	int cat[] = { VAE_KIND_CAT };
	d = survey_with(b, VAE_MISSING_ERROR, cat, -1, 0, 1);
	check_error("survey: cat of 2000 distinct numbers", &d, VAE_EDATA,
	            "column \"a\" has more than 1000 distinct values");
	decided_free(&d);
	/* a text after the numbers filled the table */
	strcpy(p, "word\n");
	d = survey(b, VAE_MISSING_ERROR);
	check_error("survey: a text after 2000 numbers", &d, VAE_EDATA, "holds numbers, and text");
	decided_free(&d);
	int real[] = { VAE_KIND_REAL };
	d = survey_with(b, VAE_MISSING_ERROR, real, -1, 0, 1);
	check_error("survey: that text in a real column, named", &d, VAE_EDATA,
	            "column \"a\" is real: expected a number, got \"word\"");
	decided_free(&d);
	free(b);
}

/* Poisson(mean) and negative binomial (size r, as r geometric counts)
 * draws. */
static unsigned poisson(vae_rng *g, double mean)
{
	double l = exp(-mean), p = vae_rng_uniform(g);
	unsigned k = 0;

	while (p > l) {
		p *= vae_rng_uniform(g);
		k++;
	}
	return k;
}

static unsigned negbin_draw(vae_rng *g, double mean, int r)
{
	double p = r / (r + mean);
	unsigned k = 0;

	for (int i = 0; i < r; i++)
		k += (unsigned)floor(log(1 - vae_rng_uniform(g)) / log(1 - p));
	return k;
}

/* The oracle: the negative binomial's log-likelihood at its best size on a
 * fine grid of log r, less the Poisson's, both at the sample mean and each
 * summed in full. */
static double oracle_gain(const float *x, size_t n)
{
	double m = 0, llp = 0, best = -INFINITY;

	for (size_t i = 0; i < n; i++)
		m += x[i];
	m /= (double)n;
	for (size_t i = 0; i < n; i++)
		llp += x[i] * log(m) - m - lgamma(x[i] + 1.0);
	for (double lr = -8; lr <= 14; lr += 0.005) {
		double r = exp(lr), ll = 0;
		for (size_t i = 0; i < n; i++)
			ll += lgamma(x[i] + r) - lgamma(r) - lgamma(x[i] + 1.0) + r * log(r / (r + m))
			      + x[i] * log(m / (r + m));
		best = ll > best ? ll : best;
	}
	return best - llp;
}

static void test_survey_count(void)
{
	static const struct { const char *name; int r; double mean; } SETS[] = {
		{ "Poisson(3)", 0, 3 }, { "Poisson(0.5)", 0, 0.5 }, { "Poisson(40)", 0, 40 },
		{ "negbin(3, r 1)", 1, 3 }, { "negbin(20, r 3)", 3, 20 }, { "negbin(3, r 40)", 40, 3 },
	};
	for (size_t k = 0; k < sizeof SETS / sizeof *SETS; k++) {
		for (uint64_t seed = 1; seed <= 3; seed++) {
			char *csv = malloc(400 * 12 + 4), *p = csv;
			float v[400];
			vae_rng g;
			vae_rng_seed(&g, seed);
			p += sprintf(p, "a\n");
			for (int i = 0; i < 400; i++) {
				unsigned c = SETS[k].r ? negbin_draw(&g, SETS[k].mean, SETS[k].r)
				                       : poisson(&g, SETS[k].mean);
				v[i] = (float)c;
				p += sprintf(p, "%u\n", c);
			}
			double gain = oracle_gain(v, 400);
			int count[1] = { VAE_KIND_COUNT };      /* zeros or not */
			decided d = survey_with(csv, VAE_MISSING_ERROR, count, -1, 0, 1);
			if (fabs(gain - 1) < 0.05) {
				printf("(%s seed %d: the oracle's gain %.3f is too near 1 to judge)\n",
				       SETS[k].name, (int)seed, gain);
			} else {
				CHECK(!d.rc && d.cols[0].kind == VAE_KIND_COUNT
				      && d.cols[0].negbin == (gain > 1), "survey: counts %s seed %d: %s "
				      "(the oracle's gain %.2f)", SETS[k].name, (int)seed,
				      gain > 1 ? "negbin" : "Poisson", gain);
			}
			decided_free(&d);
			free(csv);
		}
	}
	decided d = survey("a\n3\n1\n7\n3\n12\n4\n", VAE_MISSING_ERROR);
	CHECK(!d.rc && d.cols[0].kind != VAE_KIND_COUNT, "survey: whole numbers that never reach 0 "
	      "are no count (%s)", d.rc ? d.e.msg : KIND[d.cols[0].kind]);
	decided_free(&d);
	d = survey("a\n0\n3\n20000000\n", VAE_MISSING_ERROR);
	CHECK(!d.rc && d.cols[0].kind != VAE_KIND_COUNT, "survey: whole numbers past 2^24 are no "
	      "count (%s)", d.rc ? d.e.msg : KIND[d.cols[0].kind]);
	decided_free(&d);
	d = survey("a\n3\n2\n4\n3\n2\n0\n3\n", VAE_MISSING_ERROR);
	CHECK(!d.rc && d.cols[0].kind == VAE_KIND_COUNT && !d.cols[0].negbin,
	      "survey: counts less spread than Poisson are Poisson");
	decided_free(&d);
	d = survey("a\n0\n0\n0\n", VAE_MISSING_ERROR);
	CHECK(!d.rc && d.cols[0].kind == VAE_KIND_COUNT && !d.cols[0].negbin,
	      "survey: all 0 is a Poisson count");
	decided_free(&d);
	d = survey("a\n0\n0\n1\n0\n2\n0\n0\n9\n0\n0\n1\n0\n30\n0\n0\n0\n3\n0\n0\n12\n0\n0\n50\n",
	           VAE_MISSING_ERROR);
	CHECK(!d.rc && d.cols[0].kind == VAE_KIND_COUNT && d.cols[0].negbin,
	      "survey: mostly 0 with a few large counts is negbin");
	decided_free(&d);
	d = survey("a\n0\n-1\n2\n3\n", VAE_MISSING_ERROR);
	CHECK(!d.rc && d.cols[0].kind == VAE_KIND_REAL, "survey: whole numbers with a negative "
	      "one are real");
	decided_free(&d);
	d = survey("a\n0\n1\n2\n2.5\n", VAE_MISSING_ERROR);
	CHECK(!d.rc && d.cols[0].kind == VAE_KIND_REAL, "survey: a fraction among counts: real");
	decided_free(&d);
}

static void test_survey_positive(void)
{
	char *b = malloc(500 * 48 + 8), *p;
	vae_rng g;
	decided d;

	vae_rng_seed(&g, 7);
	p = b + sprintf(b, "a,b,c\n");
	for (int i = 0; i < 500; i++)
		p += sprintf(p, "%.6g,%.6g,%.6g\n", exp(1.5 * vae_rng_normal(&g)),
		             1 + 99 * vae_rng_uniform(&g), 5 + vae_rng_normal(&g));
	d = survey(b, VAE_MISSING_ERROR);
	CHECK(!d.rc && d.cols[0].kind == VAE_KIND_POSITIVE, "survey: log-normal is positive");
	CHECK(!d.rc && d.cols[1].kind == VAE_KIND_REAL, "survey: uniform on 1..100 is real: its "
	      "logarithms are more skewed");
	CHECK(!d.rc && d.cols[2].kind == VAE_KIND_REAL, "survey: normal around 5 is real");
	decided_free(&d);
	free(b);
	d = survey("a\n1.5\n2.5\n3.5\n4.5\n6.5\n8.5\n12.5\n20.5\n40.5\n80.5\n", VAE_MISSING_ERROR);
	CHECK(!d.rc && d.cols[0].kind == VAE_KIND_POSITIVE, "survey: skewed, spanning 10x: positive");
	decided_free(&d);
	d = survey("a\n1.5\n2.5\n3.5\n13.5\n", VAE_MISSING_ERROR);
	CHECK(!d.rc && d.cols[0].kind == VAE_KIND_REAL, "survey: skewed, spanning under 10x: real");
	decided_free(&d);
	d = survey("a\n-1.5\n2.5\n3.5\n140.5\n", VAE_MISSING_ERROR);
	CHECK(!d.rc && d.cols[0].kind == VAE_KIND_REAL, "survey: a negative value: real");
	decided_free(&d);
	d = survey("a,b,c\n?,?,1\n\n", VAE_MISSING_MASK);
	CHECK(!d.rc && d.cols[0].kind == VAE_KIND_REAL && d.cols[1].kind == VAE_KIND_REAL,
	      "survey: a column of missing cells only is real");
	decided_free(&d);
}

static void test_survey_explicit(void)
{
	static const char *CSV = "a,b,c,d\nyes,1.5,0,3\nno,-3,2,7\nyes,2,4,7\n";
	int k[4] = { -1, -1, VAE_KIND_CAT, VAE_KIND_REAL };
	decided d;

	static const struct {
		int k[4], named;
		const char *name, *msg;
	} BAD[] = {
		{ { VAE_KIND_REAL, -1, -1, -1 }, 1, "explicit: text in a real column",
		  "column \"a\" is real: expected a number, got \"yes\"" },
		{ { VAE_KIND_COUNT, -1, -1, -1 }, 0, "explicit: text in a count column, unnamed",
		  "column 1 is a count: expected a number, got \"yes\"" },
		{ { -1, VAE_KIND_COUNT, -1, -1 }, 1, "explicit: a count of 1.5",
		  "column \"b\" is a count: expected a whole number from 0 to 16777216, got \"1.5\"" },
		{ { -1, VAE_KIND_POSITIVE, -1, -1 }, 1, "explicit: positive with -3",
		  "column \"b\" is positive: expected a number > 0, got \"-3\"" },
		{ { -1, -1, VAE_KIND_POSITIVE, -1 }, 1, "explicit: positive with 0", "got \"0\"" },
		{ { -1, -1, VAE_KIND_BINARY, -1 }, 1, "explicit: binary of 3 values",
		  "column \"c\" is binary but has 3 distinct values" },
	};
	for (size_t i = 0; i < sizeof BAD / sizeof *BAD; i++) {
		d = survey_with(CSV, VAE_MISSING_ERROR, BAD[i].k, -1, 0, BAD[i].named);
		check_error(BAD[i].name, &d, VAE_EDATA, BAD[i].msg);
		decided_free(&d);
	}
	d = survey_with(CSV, VAE_MISSING_ERROR, k, -1, 0, 1);
	check_column("explicit: cat of numbers", &d, 2, VAE_KIND_CAT, "0|2|4", W(0, 1, 2));
	check_column("explicit: real of two values", &d, 3, VAE_KIND_REAL, NULL, W(3, 7, 7));
	check_column("explicit: -1 still detects", &d, 0, VAE_KIND_BINARY, "no|yes", W(1, 0, 1));
	decided_free(&d);

	int cat[2] = { VAE_KIND_CAT, -1 }, bin[1] = { VAE_KIND_BINARY };
	d = survey_with("a\n10\n9\n100\n9.0\n1e1\n", VAE_MISSING_ERROR, cat, -1, 0, 1);
	check_column("explicit: numeric levels by value, the first spelling", &d, 0, VAE_KIND_CAT,
	             "9|10|100", W(1, 0, 2, 0, 1));
	decided_free(&d);
	d = survey_with("a\nyes\nyes\n", VAE_MISSING_ERROR, bin, -1, 0, 1);
	check_column("explicit: a constant binary text", &d, 0, VAE_KIND_BINARY, "yes|(other)",
	             W(0, 0));
	decided_free(&d);
	d = survey_with("a\n1\n1\n", VAE_MISSING_ERROR, bin, -1, 0, 1);
	check_column("explicit: binary, constant 1", &d, 0, VAE_KIND_BINARY, "0|1", W(1, 1));
	decided_free(&d);
	d = survey_with("a\n0\n0\n", VAE_MISSING_ERROR, bin, -1, 0, 1);
	check_column("explicit: binary, constant 0", &d, 0, VAE_KIND_BINARY, "0|1", W(0, 0));
	decided_free(&d);
	d = survey_with("a,b\n?,1\n", VAE_MISSING_MASK, cat, -1, 0, 1);
	check_error("explicit: cat of nothing", &d, VAE_EDATA, "column \"a\" is cat but has no values");
	decided_free(&d);
	d = survey_with("a,b\n?,1\n", VAE_MISSING_MASK, cat, -1, 1, 1);
	check_column("explicit: cat of nothing but other", &d, 0, VAE_KIND_CAT, "(other)", W(NAN));
	decided_free(&d);

	/* numbers: the kind of columns of numbers */
	d = survey_with("a,b,c\nx,0,1\ny,1,2\nz,1,3\n", VAE_MISSING_ERROR, NULL, VAE_KIND_REAL, 0, 1);
	CHECK(!d.rc && d.cols[0].kind == VAE_KIND_CAT && d.cols[1].kind == VAE_KIND_REAL
	      && d.cols[2].kind == VAE_KIND_REAL, "numbers: real for numbers, text still detected");
	decided_free(&d);
	d = survey_with("a\n0\n1\n2.5\n", VAE_MISSING_ERROR, NULL, VAE_KIND_COUNT, 0, 1);
	check_error("numbers: count checked", &d, VAE_EDATA, "is a count");
	decided_free(&d);
	d = survey_with("a\n5\n3\n4\n", VAE_MISSING_ERROR, NULL, VAE_KIND_CAT, 0, 1);
	check_column("numbers: cat", &d, 0, VAE_KIND_CAT, "3|4|5", W(2, 0, 1));
	decided_free(&d);

	int bad[1] = { VAE_N_KINDS };
	d = survey_with("a\n1\n", VAE_MISSING_ERROR, bad, -1, 0, 1);
	check_error("explicit: an unknown kind", &d, VAE_EPARAM, "unknown column kind");
	decided_free(&d);
	d = survey_with("a\n1\n", VAE_MISSING_ERROR, NULL, -2, 0, 1);
	check_error("numbers: an unknown kind", &d, VAE_EPARAM, "unknown column kind");
	decided_free(&d);
}

static void test_survey_readers(void)
{
	vae_survey *s = vae_survey_new(2);
	vae_column *cols = NULL;
	vae_err e;
	int rc;

	/* two files, a row of the first dropped with its text (skip) */
	got a = read_text("k,n\nred,0\nzzz,NA\nblue,2\n", VAE_MISSING_SKIP, NULL, s, 0);
	got b = read_text("k,n\ngreen,3\nred,\n", VAE_MISSING_MASK, NULL, s, 0);
	vae_mat x = { a.x.rows + b.x.rows, 2, malloc(8 * sizeof(float)) };
	if (!a.rc && !b.rc) {
		memcpy(x.x, a.x.x, a.x.rows * 2 * sizeof(float));
		memcpy(x.x + a.x.rows * 2, b.x.x, b.x.rows * 2 * sizeof(float));
	}
	CHECK(!a.rc && !b.rc && a.skipped == 1 && x.rows == 4, "survey: two readers feed one "
	      "survey (%d %d, %zu rows)", a.rc, b.rc, x.rows);
	rc = vae_survey_decide(s, &x, NULL, -1, 0, NULL, &cols, &e);
	size_t at = 0;
	int ok = !rc && same(&x, W(2, 0, 0, 2, 1, 3, 2, NAN), &at);
	CHECK(ok && cols[0].kind == VAE_KIND_CAT && cols[0].n_levels == 3
	      && !strcmp(cols[0].levels[0], "blue") && !strcmp(cols[0].levels[2], "red"),
	      "survey: the levels of both, not of the row dropped (%s, at %zu)", rc ? e.msg : "", at);
	CHECK(!rc && cols[1].kind == VAE_KIND_COUNT, "survey: and its numbers, a count");
	vae_columns_free(cols, 2);
	vae_mat w = { 1, 3, x.x };
	rc = vae_survey_decide(s, &w, NULL, -1, 0, NULL, &cols, &e);
	CHECK(rc == VAE_EPARAM && cols == NULL, "survey: decide refuses rows of another width");
	free(a.x.x);
	free(b.x.x);
	free(x.x);

	got c = read_text("a,b,c\n1,2,3\n", VAE_MISSING_ERROR, NULL, s, 0);
	CHECK(c.rc == VAE_EPARAM && strstr(c.e.msg, "3 model columns selected, the survey has 2"),
	      "survey: a reader of another width is refused (%s)", c.e.msg);
	free(c.x.x);
	c = read_text("", VAE_MISSING_ERROR, NULL, s, 0);
	CHECK(c.rc == 0 && c.x.rows == 0, "survey: an empty input is no rows");
	free(c.x.x);
	c = read_text("a,b\nNA,1\n", VAE_MISSING_ERROR, NULL, s, 0);
	CHECK(c.rc == VAE_EDATA && strstr(c.e.msg, "expected a value, got \"NA\", a missing value")
	      && c.e.line == 2 && c.e.column == 1, "survey: a missing value is an error by default "
	      "(%s at %lu:%lu)", c.e.msg, c.e.line, c.e.column);
	free(c.x.x);
	c = read_text("a,b\nx,\n", VAE_MISSING_ERROR, NULL, s, 0);
	CHECK(c.rc == VAE_EDATA && strstr(c.e.msg, "expected a value, got an empty field")
	      && c.e.column == 2, "survey: an empty field too (%s)", c.e.msg);
	free(c.x.x);
	vae_survey_free(s);
}

static void test_survey_npy(void)
{
	unsigned char b[4096];
	size_t n;
	vae_survey *s = vae_survey_new(3);
	vae_column *cols = NULL;
	vae_err e;
	int rc;
	const float v[] = { 0, 0.1f, 2, 1, 0.3f, NAN, 0, 0.1f, 3, NAN, 0.5f, 5 };

	if (!vi_host_le()) {
		printf("(NPY survey tests need a little-endian host)\n");
		vae_survey_free(s);
		return;
	}
	n = npy_bytes(b, v, 4, 3);
	got g = read_bytes(b, n, VAE_MISSING_MASK, NULL, s, 0);
	int cat[3] = { -1, VAE_KIND_CAT, VAE_KIND_COUNT };
	rc = g.rc ? g.rc : vae_survey_decide(s, &g.x, cat, -1, 0, NULL, &cols, &e);
	char lv[64] = "";
	for (size_t i = 0; !rc && i < cols[1].n_levels; i++)
		snprintf(lv + strlen(lv), sizeof lv - strlen(lv), "%s%s", i ? "|" : "", cols[1].levels[i]);
	CHECK(!rc && cols[0].kind == VAE_KIND_BINARY && cols[2].kind == VAE_KIND_COUNT,
	      "survey npy: 0/1 binary with NaN missing, and a count (%s)", rc ? e.msg : "");
	CHECK(!rc && !strcmp(lv, "0.1|0.3|0.5"), "survey npy: levels spelled shortest (%s)", lv);
	size_t at;
	CHECK(!rc && same(&g.x, W(0, 0, 2, 1, 1, NAN, 0, 0, 3, NAN, 2, 5), &at),
	      "survey npy: values to levels");
	vae_columns_free(cols, 3);
	free(g.x.x);
	vae_survey_free(s);
}

/* ======================================================================
 * A model's columns as rows are read
 * ==================================================================== */

/* A model of n columns of the kinds and levels of spec, built by hand
 * (vae_model_new_table is another's), named by names (may be NULL). */
static vae_model *table_model(const vae_column *spec, size_t n, const char *const *names)
{
	vae_arch a = { .n_in = n, .n_latent = 2, .n_hidden = 1, .hidden = { 4 },
	               .activation = VAE_RELU, .likelihood = VAE_GAUSSIAN };
	vae_err e;
	vae_model *m = vae_model_new(&a, 1, &e);

	if (!m || !(m->cols = calloc(n, sizeof *m->cols)))
		return m;
	for (size_t j = 0; j < n; j++) {
		m->cols[j] = spec[j];
		m->cols[j].levels = spec[j].n_levels ? calloc(spec[j].n_levels, sizeof(char *)) : NULL;
		for (size_t i = 0; i < spec[j].n_levels; i++)
			m->cols[j].levels[i] = strdup(spec[j].levels[i]);
	}
	m->table = 1;
	if (names)
		vae_model_set_names(m, names, n, &e);
	return m;
}

static void table_model_free(vae_model *m)
{
	if (!m)
		return;
	vae_columns_free(m->cols, m->arch.n_in);
	m->cols = NULL;
	vae_model_free(m);
}

static void check_read(const char *name, const got *g, const float *want, size_t n)
{
	size_t at = 0;
	int ok = !g->rc && same(&g->x, want, n, &at);

	CHECK(ok, "%s (%s; at %zu: %g)", name, g->rc ? g->e.msg : "", at,
	      at < g->x.rows * g->x.cols ? g->x.x[at] : -1.0);
}

static void check_read_error(const char *name, const got *g, int code, const char *msg,
                             unsigned long line, unsigned long col)
{
	CHECK(g->rc == code && strstr(g->e.msg, msg) && g->e.line == line && g->e.column == col,
	      "%s: \"%s\" at %lu:%lu (got %d \"%s\" at %lu:%lu)", name, msg, line, col, g->rc,
	      g->rc ? g->e.msg : "", g->e.line, g->e.column);
}

static char *COLOR[] = { "blue", "green", "red" }, *YESNO[] = { "no", "yes" },
            *NUM[] = { "1", "2.5", "10" }, *OTHER[] = { "a", "b", "(other)" };

static void test_use_model(void)
{
	const vae_column spec[5] = {
		{ VAE_KIND_CAT, 0, 0, 3, COLOR }, { VAE_KIND_COUNT, 1, 0, 0, NULL },
		{ VAE_KIND_POSITIVE, 0, 0, 0, NULL }, { VAE_KIND_BINARY, 0, 0, 2, YESNO },
		{ VAE_KIND_REAL, 0, 0, 0, NULL },
	};
	const char *names[5] = { "color", "n", "size", "ok", "t" };
	vae_model *m = table_model(spec, 5, names);
	got g;

	if (!m) {
		CHECK(0, "use_model: cannot build a model");
		return;
	}
	g = read_text("t,ok,size,n,color,id\n-1.5,yes,2.5,3,red,x\n0,no,1e-3,0,blue,y\n"
	              "\"2\",\"no\",\"7\",\"12\",\"green\",\"z\"\n", VAE_MISSING_ERROR, m, NULL, 0);
	check_read("use_model: levels as indices, by the model's names and order", &g,
	           W(2, 3, 2.5f, 1, -1.5f, 0, 0, 1e-3f, 0, 0, 1, 12, 7, 0, 2));
	free(g.x.x);
	g = read_text("color,n,size,ok,t\nred,1,1,yes,0\npink,1,1,yes,0\n", VAE_MISSING_ERROR, m,
	              NULL, 0);
	check_read_error("use_model: a level not seen", &g, VAE_EDATA,
	                 "column \"color\": \"pink\" was not seen in training", 3, 1);
	free(g.x.x);
	g = read_text("color,n,size,ok,t\nred,1,1,maybe,0\n", VAE_MISSING_SKIP, m, NULL, 0);
	check_read_error("use_model: not seen is no missing value", &g, VAE_EDATA,
	                 "column \"ok\": \"maybe\" was not seen in training", 2, 4);
	free(g.x.x);
	g = read_text("color,n,size,ok,t\nred,-3,1,yes,0\n", VAE_MISSING_ERROR, m, NULL, 0);
	check_read_error("use_model: a negative count", &g, VAE_EDATA,
	                 "column \"n\" is a count: expected a whole number from 0 to 16777216, got \"-3\"", 2, 2);
	free(g.x.x);
	g = read_text("color,n,size,ok,t\nred,\"1.5\",1,yes,0\n", VAE_MISSING_ERROR, m, NULL, 0);
	check_read_error("use_model: a fraction for a count, quoted", &g, VAE_EDATA,
	                 "column \"n\" is a count: expected a whole number from 0 to 16777216, got \"1.5\"", 2, 2);
	free(g.x.x);
	g = read_text("color,n,size,ok,t\nred,1,0,yes,0\n", VAE_MISSING_ERROR, m, NULL, 0);
	check_read_error("use_model: positive 0", &g, VAE_EDATA,
	                 "column \"size\" is positive: expected a number > 0, got \"0\"", 2, 3);
	free(g.x.x);
	g = read_text("color,n,size,ok,t\nred,1,-2e-9,yes,0\n", VAE_MISSING_ERROR, m, NULL, 0);
	check_read_error("use_model: positive, negative", &g, VAE_EDATA, "got \"-2e-9\"", 2, 3);
	free(g.x.x);
	g = read_text("color,n,size,ok,t\nred,x,1,yes,0\n", VAE_MISSING_ERROR, m, NULL, 0);
	check_read_error("use_model: text in a count column", &g, VAE_EDATA,
	                 "expected a number, got \"x\"", 2, 2);
	free(g.x.x);

	/* missing cells */
	const char *miss = "color,n,size,ok,t\n?,NA,,n/a,0\nred,1,1,yes,0\n";
	g = read_text(miss, VAE_MISSING_MASK, m, NULL, 0);
	check_read("use_model: mask, every kind's missing cell is NAN", &g,
	           W(NAN, NAN, NAN, NAN, 0, 2, 1, 1, 1, 0));
	free(g.x.x);
	g = read_text("color,n,size,ok,t\nred,1,1,yes,0\n?,NA,,n/a,NULL\n", VAE_MISSING_MASK, m,
	              NULL, 0);
	check_read_error("use_model: mask, a row with every cell missing is an error", &g,
	                 VAE_EDATA, "every model column of the row is missing", 3, 0);
	free(g.x.x);
	g = read_text(miss, VAE_MISSING_SKIP, m, NULL, 0);
	CHECK(!g.rc && g.x.rows == 1 && g.skipped == 1 && g.x.x[0] == 2, "use_model: skip drops "
	      "the row (%zu rows, %lu skipped)", g.x.rows, g.skipped);
	free(g.x.x);
	g = read_text(miss, VAE_MISSING_ERROR, m, NULL, 0);
	check_read_error("use_model: a missing level is an error by default", &g, VAE_EDATA,
	                 "expected a value, got \"?\", a missing value", 2, 1);
	free(g.x.x);
	g = read_text("color,n,size,ok,t\nred,NA,1,yes,0\n", VAE_MISSING_ERROR, m, NULL, 0);
	check_read_error("use_model: a missing count, today's message", &g, VAE_EDATA,
	                 "expected a number, got \"NA\"", 2, 2);
	free(g.x.x);

	/* kept text stays as it was */
	g = read_text("color,n,size,ok,t\nred,1,1,yes,0\n", VAE_MISSING_ERROR, m, NULL, KEEP_ALL);
	CHECK(!g.rc && g.x.x[0] == 2 && !strcmp(g.kept, "red|1|1|yes|0"),
	      "use_model: every field kept as read (%s)", g.kept);
	free(g.x.x);
	/* select again: the columns are plain numbers until use_model again */
	g = read_text("color,n,size,ok,t\nred,1,1,yes,0\n", VAE_MISSING_ERROR, m, NULL, SELECT_AGAIN);
	check_read_error("use_model: undone by a new select", &g, VAE_EDATA,
	                 "expected a number, got \"red\"", 2, 1);
	free(g.x.x);
	table_model_free(m);
}

static void test_use_model_levels(void)
{
	const vae_column spec[2] = {
		{ VAE_KIND_CAT, 0, 0, 3, NUM }, { VAE_KIND_CAT, 0, 1, 3, OTHER },
	};
	vae_model *m = table_model(spec, 2, NULL);
	got g;

	if (!m)
		return;
	g = read_text("p,q\n1.0,b\n10,zz\n2.50,(other)\n1e1,a\n\" 1\",\"\"\"\"\n", VAE_MISSING_ERROR, m,
	              NULL, 0);
	check_read("use_model: numbers by value (1.0 is 1), other for unseen", &g,
	           W(0, 1, 2, 2, 1, 2, 2, 0, 0, 2));
	free(g.x.x);
	g = read_text("p,q\n1,a\n3,a\n", VAE_MISSING_ERROR, m, NULL, 0);
	check_read_error("use_model: an unnamed column is a field", &g, VAE_EDATA,
	                 "field 1: \"3\" was not seen in training", 3, 1);
	free(g.x.x);
	g = read_bytes("p,q\nx\0y,a\n", 11, VAE_MISSING_ERROR, m, NULL, 0);
	check_read_error("use_model: a NUL byte shown", &g, VAE_EDATA,
	                 "field 1: \"x\\x00y\" was not seen in training", 2, 1);
	free(g.x.x);
	g = read_text("p,q\n1,a\ninf,a\n", VAE_MISSING_MASK, m, NULL, 0);
	check_read("use_model: a number not finite is missing", &g, W(0, 0, NAN, 0));
	free(g.x.x);

	/* binary input: indices */
	if (vi_host_le()) {
		unsigned char b[1024];
		size_t n = npy_bytes(b, (const float[]){ 0, 2, 2, NAN, 1, 1 }, 3, 2);
		g = read_bytes(b, n, VAE_MISSING_MASK, m, NULL, 0);
		check_read("use_model npy: indices, NaN missing", &g, W(0, 2, 2, NAN, 1, 1));
		free(g.x.x);
		n = npy_bytes(b, (const float[]){ 0, 2, 3, 0 }, 2, 2);
		g = read_bytes(b, n, VAE_MISSING_MASK, m, NULL, 0);
		check_read_error("use_model npy: index 3 of 3 levels", &g, VAE_EDATA, "field 1 is cat: "
		                 "expected a level's index, a whole number from 0 to 2, got \"3\"", 2, 1);
		free(g.x.x);
		n = npy_bytes(b, (const float[]){ 0, 1.5f }, 1, 2);
		g = read_bytes(b, n, VAE_MISSING_MASK, m, NULL, 0);
		check_read_error("use_model npy: index 1.5", &g, VAE_EDATA, "got \"1.5\"", 1, 2);
		free(g.x.x);
		n = npy_bytes(b, (const float[]){ -1, 0 }, 1, 2);
		g = read_bytes(b, n, VAE_MISSING_MASK, m, NULL, 0);
		check_read_error("use_model npy: index -1", &g, VAE_EDATA, "got \"-1\"", 1, 1);
		free(g.x.x);
	}
	table_model_free(m);

	const vae_column cnt[2] = { { VAE_KIND_COUNT, 0, 0, 0, NULL },
	                            { VAE_KIND_POSITIVE, 0, 0, 0, NULL } };
	m = table_model(cnt, 2, NULL);
	if (m && vi_host_le()) {
		unsigned char b[1024];
		size_t n = npy_bytes(b, (const float[]){ 3, 0.5f, 2.5f, 1 }, 2, 2);
		g = read_bytes(b, n, VAE_MISSING_ERROR, m, NULL, 0);
		check_read_error("use_model npy: a count of 2.5", &g, VAE_EDATA,
		                 "field 1 is a count: expected a whole number from 0 to 16777216, got \"2.5\"", 2, 1);
		free(g.x.x);
		n = npy_bytes(b, (const float[]){ 3, 0 }, 1, 2);
		g = read_bytes(b, n, VAE_MISSING_ERROR, m, NULL, 0);
		check_read_error("use_model npy: positive 0", &g, VAE_EDATA,
		                 "field 2 is positive", 1, 2);
		free(g.x.x);
	}
	table_model_free(m);

	/* a masked model of real columns: numbers, and NAN for a missing cell */
	const vae_column reals[2] = { { VAE_KIND_REAL, 0, 0, 0, NULL }, { VAE_KIND_REAL, 0, 0, 0, NULL } };
	m = table_model(reals, 2, NULL);
	g = read_text("p,q\n1,?\n-2,3\n", VAE_MISSING_MASK, m, NULL, 0);
	check_read("use_model: a masked model of real columns", &g, W(1, NAN, -2, 3));
	free(g.x.x);
	g = read_text("p,q\n1,x\n", VAE_MISSING_MASK, m, NULL, 0);
	check_read_error("use_model: text in its real column", &g, VAE_EDATA,
	                 "expected a number, got \"x\"", 2, 2);
	free(g.x.x);
	table_model_free(m);

	/* a model of real columns only reads numbers as before */
	vae_arch a = { .n_in = 2, .n_latent = 1, .n_hidden = 0, .activation = VAE_RELU,
	               .likelihood = VAE_GAUSSIAN };
	vae_err e;
	m = vae_model_new(&a, 1, &e);
	g = read_text("1,2\nx,3\n", VAE_MISSING_ERROR, m, NULL, 0);
	check_read_error("use_model: all real, as before", &g, VAE_EDATA,
	                 "expected a number, got \"x\"", 2, 1);
	free(g.x.x);
	g = read_text("1,2,3\n", VAE_MISSING_ERROR, m, NULL, 0);
	CHECK(g.rc == VAE_EDATA || g.rc == VAE_EPARAM, "use_model: the width is checked (%d)", g.rc);
	free(g.x.x);
	vae_model_free(m);
}

int main(void)
{
	test_levels_basic();
	test_levels_nul();
	test_levels_value();
	test_levels_many();
	test_survey_binary();
	test_survey_cat();
	test_survey_many();
	test_survey_count();
	test_survey_positive();
	test_survey_explicit();
	test_survey_readers();
	test_survey_npy();
	test_use_model();
	test_use_model_levels();
	return check_failed;
}
