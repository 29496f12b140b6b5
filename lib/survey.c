/* survey.c: what vae-fit learns of a table's columns as it reads them, and
 * each column's kind and levels chosen from it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "read.h"
#include "number.h"

/* A column's distinct values as they arrive, up to VAE_MAX_LEVELS: every
 * text, and the first spelling of every number.  Past that, a category is
 * out of the question, and only the fact is kept. */
typedef struct survey_col {
	vi_levels *dict;
	int many;                   /* a new number came when dict was full */
	int overflow;               /* a new text came when dict was full */
	char *over;                 /* the first such text, for messages */
	size_t over_len;
} survey_col;

struct vae_survey {
	size_t n;
	survey_col *col;
};

/* ======================================================================
 * Cells as they are read
 * ==================================================================== */

/* A text cell is a quiet NaN whose payload is its entry in the column's
 * dict + 1; a missing cell is NAN, payload 0.  The bits go in and out by
 * memcpy only: arithmetic, or a conversion to double on some machines,
 * could change a payload. */
#define CODE_NAN 0x7fc00000u
#define CODE_MASK 0x003fffffu

static void put_code(float *to, size_t entry)
{
	uint32_t b = CODE_NAN | (uint32_t)(entry + 1);

	memcpy(to, &b, sizeof b);
}

/* @return a cell's entry + 1 when it holds a text, else 0. */
static uint32_t code_of(const float *cell)
{
	uint32_t b;

	memcpy(&b, cell, sizeof b);
	return (b & 0x7f800000u) == 0x7f800000u ? b & CODE_MASK : 0;
}

vae_survey *vae_survey_new(size_t n)
{
	vae_survey *s = calloc(1, sizeof *s);

	if (!s || !(s->col = calloc(n ? n : 1, sizeof *s->col))) {
		free(s);
		return NULL;
	}
	s->n = n;
	for (size_t j = 0; j < n; j++)
		if (!(s->col[j].dict = vi_levels_new())) {
			vae_survey_free(s);
			return NULL;
		}
	return s;
}

void vae_survey_free(vae_survey *s)
{
	if (!s)
		return;
	for (size_t j = 0; j < s->n; j++) {
		vi_levels_free(s->col[j].dict);
		free(s->col[j].over);
	}
	free(s->col);
	free(s);
}

size_t vi_survey_width(const vae_survey *s) { return s->n; }

/* v as its shortest decimal that reads back as v: binary input's numbers
 * become levels' texts.  @return the length. */
static size_t spell(char *b, float v)
{
	float back;
	int n = 0;

	for (int p = 1; p <= 9; p++) {
		n = vi_format_float(b, v, p);
		if (!vi_parse_float(b, (size_t)n, &back) && back == v)
			break;
	}
	return (size_t)n;
}

int vi_survey_number(vae_survey *s, size_t j, float v, const char *text, size_t len)
{
	survey_col *c = &s->col[j];
	char b[48];

	if (c->many || vi_levels_find_value(c->dict, v) >= 0)
		return 0;                       /* a value seen, under any spelling */
	if (vi_levels_count(c->dict) >= VAE_MAX_LEVELS) {
		c->many = 1;
		return 0;
	}
	if (!text) {
		len = spell(b, v);
		text = b;
	}
	return vi_levels_add(c->dict, text, len) < 0 ? -1 : 0;
}

int vi_survey_text(vae_survey *s, size_t j, const char *text, size_t len, float *out)
{
	survey_col *c = &s->col[j];
	long e = vi_levels_find(c->dict, text, len);

	if (e < 0 && vi_levels_count(c->dict) >= VAE_MAX_LEVELS) {
		if (!c->overflow) {
			if (!(c->over = malloc(len + 1)))
				return -1;
			memcpy(c->over, text, len);
			c->over[len] = 0;
			c->over_len = len;
			c->overflow = 1;
		}
		*out = NAN;             /* decide refuses the column whatever its kind */
		return 0;
	}
	if (e < 0 && (e = vi_levels_add(c->dict, text, len)) < 0)
		return -1;
	put_code(out, (size_t)e);
	return 0;
}

/* ======================================================================
 * What a column holds
 * ==================================================================== */

/* One column of a table's rows: n values, stride floats apart (a column
 * of the rows in memory, or one gathered from rows on disk). */
typedef struct column {
	float *v;
	size_t n, stride;
} column;

static column column_of(const vae_mat *x, size_t j)
{
	return (column){ x->x + j, x->rows, x->cols };
}

/* One pass over column j of x. */
typedef struct scan {
	size_t n_num, n_text;       /* cells holding a number, a text */
	uint32_t first_text;        /* the first text cell's entry + 1 */
	unsigned char *used;        /* per entry of dict: some cell holds it (a number:
	                             * the first entry of its value) */
	size_t n_used, unfound;     /* entries used; numbers not in dict (many) */
	float d[2];                 /* the first distinct numbers */
	int n_distinct;             /* distinct numbers, up to 3 */
	int whole, pos;             /* every number is whole and >= 0; > 0 */
	float not_whole, not_pos;   /* the first that is not */
	double min, max;
} scan;

static int scan_column(const survey_col *c, column x, scan *t)
{
	memset(t, 0, sizeof *t);
	t->whole = t->pos = 1;
	t->min = INFINITY;
	t->max = -INFINITY;
	if (!(t->used = calloc(vi_levels_count(c->dict) + 1, 1)))
		return -1;
	for (size_t i = 0; i < x.n; i++) {
		const float *cell = x.v + i * x.stride;
		uint32_t code = code_of(cell);
		float v = *cell;
		long e;
		if (code) {
			if (!t->n_text++)
				t->first_text = code;
			t->n_used += !t->used[code - 1];
			t->used[code - 1] = 1;
			continue;
		}
		if (v != v)
			continue;               /* missing */
		t->n_num++;
		if ((e = vi_levels_find_value(c->dict, v)) >= 0) {
			t->n_used += !t->used[e];
			t->used[e] = 1;
		} else {
			t->unfound++;
		}
		if (t->n_distinct < 3 && (t->n_distinct < 1 || v != t->d[0])
		    && (t->n_distinct < 2 || v != t->d[1])) {
			if (t->n_distinct < 2)
				t->d[t->n_distinct] = v;
			t->n_distinct++;
		}
		if (t->whole && !(v >= 0 && v == floorf(v))) {
			t->whole = 0;
			t->not_whole = v;
		}
		if (t->pos && !(v > 0)) {
			t->pos = 0;
			t->not_pos = v;
		}
		t->min = v < t->min ? v : t->min;
		t->max = v > t->max ? v : t->max;
	}
	return 0;
}

/* The skewness of column j's numbers (of their logarithms with logs set):
 * m3 / m2^1.5 of the population's central moments, 0 when they are all
 * one value. */
static double skewness(column x, int logs)
{
	double sum = 0, m2 = 0, m3 = 0, mean;
	size_t n = 0;

	for (size_t i = 0; i < x.n; i++) {
		float v = x.v[i * x.stride];
		if (v == v) {
			sum += logs ? vi_log(v) : v;
			n++;
		}
	}
	mean = sum / (double)n;
	for (size_t i = 0; i < x.n; i++) {
		float v = x.v[i * x.stride];
		if (v == v) {
			double d = (logs ? vi_log(v) : v) - mean;
			m2 += d * d;
			m3 += d * d * d;
		}
	}
	m2 /= (double)n;
	m3 /= (double)n;
	return m2 > 0 ? m3 / vi_pow(m2, 1.5) : 0;
}

/* ======================================================================
 * Counts: Poisson or negative binomial
 * ==================================================================== */

static double trigamma(double x)
{
	double r = 0, f;

	for (; x < 6; x++)
		r += 1 / (x * x);
	f = 1 / (x * x);
	return r + 1 / x + f / 2 + f / x * (1.0 / 6 - f * (1.0 / 30 - f * (1.0 / 42 - f / 30)));
}

/* A count column's values as (value, how many): the small ones tallied. */
typedef struct tally {
	double *v, *w;
	size_t n;
	double rows, mean, var;
} tally;

#define TALLY_SMALL 4096

static int make_tally(column x, tally *t)
{
	double *small = calloc(TALLY_SMALL, sizeof *small), sum = 0, ss = 0;
	size_t big = 0;

	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < x.n; i++) {
		float v = x.v[i * x.stride];
		big += v == v && v >= TALLY_SMALL;
	}
	t->v = malloc((TALLY_SMALL + big) * sizeof *t->v);
	t->w = malloc((TALLY_SMALL + big) * sizeof *t->w);
	if (!small || !t->v || !t->w) {
		free(small);
		return -1;
	}
	for (size_t i = 0; i < x.n; i++) {
		float v = x.v[i * x.stride];
		if (v != v)
			continue;
		if (v < TALLY_SMALL) {
			small[(size_t)v]++;
		} else {
			t->v[t->n] = v;
			t->w[t->n++] = 1;
		}
		t->rows++;
		sum += v;
	}
	for (size_t k = 0; k < TALLY_SMALL; k++)
		if (small[k] > 0) {
			t->v[t->n] = (double)k;
			t->w[t->n++] = small[k];
		}
	free(small);
	t->mean = sum / t->rows;
	for (size_t k = 0; k < t->n; k++)
		ss += t->w[k] * (t->v[k] - t->mean) * (t->v[k] - t->mean);
	t->var = ss / t->rows;
	return 0;
}

/* The log-likelihood of the negative binomial of mean m and size r less
 * that of the Poisson of mean m (the two share sum log x!):
 * sum [lgamma(x + r) - lgamma(r)] + n r log r - n (r + m) log(r + m) + n m. */
static double nb_gain(const tally *t, double r)
{
	double s = 0, m = t->mean, n = t->rows;

	for (size_t k = 0; k < t->n; k++)
		s += t->w[k] * (vi_lgamma(t->v[k] + r) - vi_lgamma(r));
	return s + n * r * vi_log(r) - n * (r + m) * vi_log(r + m) + n * m;
}

/* Newton's steps on log r from the moments' r = m^2 / (var - m), the
 * derivatives being g = sum [psi(x + r) - psi(r)] + n log(r / (r + m)),
 * h = sum [psi'(x + r) - psi'(r)] + n / r - n / (r + m).  @return the best
 * gain found. */
static double nb_fit(const tally *t)
{
	double m = t->mean, n = t->rows, r = m * m / (t->var - m), best = nb_gain(t, r);

	for (int it = 0; it < 8; it++) {
		double g = n * vi_log(r / (r + m)), h = n / r - n / (r + m), lr, step, gain;
		for (size_t k = 0; k < t->n; k++) {
			g += t->w[k] * (vi_digamma(t->v[k] + r) - vi_digamma(r));
			h += t->w[k] * (trigamma(t->v[k] + r) - trigamma(r));
		}
		/* in u = log r: dD/du = r g, d2D/du2 = r g + r^2 h */
		double d1 = r * g, d2 = r * g + r * r * h;
		step = d2 < 0 ? -d1 / d2 : (d1 > 0 ? 1 : -1);
		step = step > 2 ? 2 : step < -2 ? -2 : step;
		lr = vi_log(r) + step;
		if (lr < vi_log(1e-6) || lr > vi_log(1e8))
			break;
		gain = nb_gain(t, vi_exp(lr));
		if (!(gain > best))
			break;
		best = gain;
		r = vi_exp(lr);
		if (fabs(step) < 1e-6)
			break;
	}
	return best;
}

/* A count column is negative binomial when that fits better than Poisson
 * by AIC: its one more parameter must gain more than 1 in log-likelihood.
 * With var <= mean, Poisson.  @return 1, 0, or -1 when memory is short. */
static int negbin(column x)
{
	tally t;
	int nb;

	if (make_tally(x, &t)) {
		free(t.v);
		free(t.w);
		return -1;
	}
	nb = t.rows > 0 && t.var > t.mean && nb_fit(&t) > 1;
	free(t.v);
	free(t.w);
	return nb;
}

/* ======================================================================
 * Choosing a column's kind and levels
 * ==================================================================== */

/* Column j as messages name it. */
static const char *col_name(char *b, size_t cap, const char *const *names, size_t j)
{
	char shown[300];

	if (names && names[j])
		snprintf(b, cap, "column \"%s\"", vi_visible(shown, sizeof shown, names[j],
		                                              strlen(names[j])));
	else
		snprintf(b, cap, "column %zu", j + 1);
	return b;
}

typedef struct entry {
	const char *s;
	size_t len, id;
	float v;
} entry;

static int by_value(const void *a, const void *b)
{
	float x = ((const entry *)a)->v, y = ((const entry *)b)->v;

	return (x > y) - (x < y);
}

static int by_bytes(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);

	return c ? c : (x->len > y->len) - (x->len < y->len);
}

static int add_level(vae_column *col, const char *s, size_t len)
{
	char *copy = malloc(len + 1);

	if (!copy)
		return -1;
	memcpy(copy, s, len);
	copy[len] = 0;
	col->levels[col->n_levels++] = copy;
	return 0;
}

/* A binary column with fewer than 2 values, a constant, gets a second level
 * that no cell holds: 0 and 1 for the numbers 0 or 1, else "(other)". */
static int fill_binary(vae_column *col, size_t *map, const vi_levels *dict, const entry *one)
{
	float v = one ? one->v : 0;
	int numeric = !one || vi_levels_value(dict, one->id, &v);

	if (!one)
		return add_level(col, "0", 1) || add_level(col, "1", 1) ? -1 : 0;
	if (numeric && v == 1) {                /* "0" goes first */
		char *s = col->levels[0];
		col->n_levels = 0;
		if (add_level(col, "0", 1)) {
			col->levels[0] = s;
			col->n_levels = 1;
			return -1;
		}
		col->levels[col->n_levels++] = s;
		map[one->id] = 1;
		return 0;
	}
	return numeric && v == 0 ? add_level(col, "1", 1) : add_level(col, "(other)", 7);
}

/* The levels of a binary or cat column: the entries its cells use, sorted,
 * and map[entry] = its level.  @return 0, or a VAE_E* code. */
static int make_levels(const survey_col *c, const scan *t, vae_column *col, size_t *map,
                       int other, const char *what, vae_err *e)
{
	size_t n = vi_levels_count(c->dict), k = 0;
	entry *en = malloc((t->n_used ? t->n_used : 1) * sizeof *en);
	int numeric = 1, rc = 0;

	col->levels = malloc((t->n_used + 2) * sizeof *col->levels);
	if (!en || !col->levels) {
		free(en);
		return vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate the levels of %s", what);
	}
	for (size_t i = 0; i < n; i++)
		if (t->used[i]) {
			entry *p = &en[k++];
			p->s = vi_levels_text(c->dict, i);
			p->len = vi_levels_len(c->dict, i);
			p->id = i;
			numeric = vi_levels_value(c->dict, i, &p->v) && numeric;
		}
	qsort(en, k, sizeof *en, numeric ? by_value : by_bytes);
	for (size_t i = 0; i < k && !rc; i++) {
		char shown[300];
		if (strlen(en[i].s) != en[i].len)
			rc = vi_fail(e, VAE_EDATA, NULL, 0, 0, "%s: the value \"%s\" holds a NUL byte, which "
			             "a level cannot", what, vi_visible(shown, sizeof shown, en[i].s, en[i].len));
		else if (add_level(col, en[i].s, en[i].len))
			rc = vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate the levels of %s", what);
		map[en[i].id] = i;
	}
	if (!rc && col->kind == VAE_KIND_BINARY && k < 2
	    && fill_binary(col, map, c->dict, k ? &en[0] : NULL))
		rc = vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate the levels of %s", what);
	if (!rc && col->kind == VAE_KIND_CAT && other) {
		col->other = 1;
		if (add_level(col, "(other)", 7))
			rc = vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate the levels of %s", what);
	}
	free(en);
	return rc;
}

/* The most distinct values a column of numbers and some text may have to
 * be taken for a category. */
#define MIXED_LEVELS 20

/* The kind of a column that holds numbers only, by the rules of vae.h. */
static int detect_numbers(column x, const scan *t)
{
	if (t->n_num == 0)
		return VAE_KIND_REAL;           /* nothing to go by */
	if (t->n_distinct == 2)
		return VAE_KIND_BINARY;
	/* a few whole numbers scattered over a wide range are codes (HTTP
	 * status 200, 304, 404), not amounts; 0 to 5 children are amounts */
	if (t->whole && !t->unfound && t->n_used >= 3 && t->n_used <= 10 && t->min >= 10
	    && 2.0 * (double)t->n_used < t->max - t->min + 1)
		return VAE_KIND_CAT;
	/* counts of events have zeros; whole amounts that never reach 0
	 * (connections, kilobytes) go by the rules of measurements below */
	if (t->whole && t->min == 0 && t->max <= VI_COUNT_MAX)
		return VAE_KIND_COUNT;
	if (t->pos && t->max >= 10 * t->min && fabs(skewness(x, 1)) < fabs(skewness(x, 0)))
		return VAE_KIND_POSITIVE;
	return VAE_KIND_REAL;
}

/* Column j's kind: kind if not -1, else detected; then checked against
 * what the column holds. */
static int decide_column(const vae_survey *s, column x, size_t j, int kind, int numbers,
                         int other, const char *what, vae_column *col, size_t *map, vae_err *e)
{
	const survey_col *c = &s->col[j];
	int text, rc = 0;
	char shown[300];
	scan t;

	if (scan_column(c, x, &t))
		return vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate the levels of %s", what);
	text = t.n_text || c->overflow;
	if (text && t.n_text)
		vi_visible(shown, sizeof shown, vi_levels_text(c->dict, t.first_text - 1),
		           vi_levels_len(c->dict, t.first_text - 1));
	else if (text)
		vi_visible(shown, sizeof shown, c->over, c->over_len);
	/* Mostly numbers and a little text, many distinct: a header line read
	 * as data, a stray word, a missing value of an unusual spelling.  Not
	 * guessed.  Few distinct values are a category whose levels are mostly
	 * numbers (cylinders 4, 6, 8 and rotary). */
	if (kind < 0 && text && t.n_num > t.n_text
	    && (t.n_used > MIXED_LEVELS || t.unfound || c->overflow)) {
		free(t.used);
		return vi_about(e, VAE_ABOUT_TYPES, vi_fail(e, VAE_EDATA, NULL, 0, 0, "%s holds "
		                "numbers, and text: \"%s\" (is it a category, or a missing value?)",
		                what, shown));
	}
	if (kind < 0 && text)   /* with an "other" level to come, two levels make a cat */
		kind = t.n_used == 2 && !t.unfound && !c->overflow && !other ? VAE_KIND_BINARY
		     : VAE_KIND_CAT;
	else if (kind < 0)
		kind = numbers >= 0 ? numbers : detect_numbers(x, &t);
	col->kind = kind;
	if (kind <= VAE_KIND_COUNT && text) {
		rc = vi_about(e, VAE_ABOUT_TYPES, vi_fail(e, VAE_EDATA, NULL, 0, 0, "%s is %s: "
		              "expected a number, got \"%s\"", what, kind == VAE_KIND_COUNT ? "a count"
		              : vae_names(VAE_NAMES_KIND, NULL)[kind], shown));
	} else if (kind == VAE_KIND_POSITIVE && !t.pos) {
		rc = vi_fail(e, VAE_EDATA, NULL, 0, 0, "%s is positive: expected a number > 0, got "
		             "\"%.9g\"", what, t.not_pos);
	} else if (kind == VAE_KIND_COUNT && (!t.whole || t.max > VI_COUNT_MAX)) {
		rc = vi_fail(e, VAE_EDATA, NULL, 0, 0, "%s is a count: expected a whole number from 0 "
		             "to 16777216, got \"%.9g\"", what, t.whole ? t.max : t.not_whole);
	} else if (kind == VAE_KIND_COUNT) {
		if ((col->negbin = negbin(x)) < 0)
			rc = vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate the counts of %s", what);
	} else if (kind > VAE_KIND_COUNT && (c->overflow || t.unfound)) {
		rc = vi_fail(e, VAE_EDATA, NULL, 0, 0, "%s has more than %d distinct values, not a "
		             "category: keep it with -k or leave it out with -f", what, VAE_MAX_LEVELS);
	} else if (kind == VAE_KIND_BINARY && t.n_used > 2) {
		rc = vi_fail(e, VAE_EDATA, NULL, 0, 0, "%s is binary but has %zu distinct values",
		             what, t.n_used);
	} else if (kind == VAE_KIND_CAT && !t.n_used && !other) {
		rc = vi_fail(e, VAE_EDATA, NULL, 0, 0, "%s is cat but has no values", what);
	} else if (kind > VAE_KIND_COUNT) {
		rc = make_levels(c, &t, col, map, other, what, e);
	}
	free(t.used);
	return rc;
}

/* Column j of x from what the survey stored to its user values: a text or
 * a number as its level's index, by map. */
static void convert(const vae_survey *s, column x, size_t j, const size_t *map)
{
	const vi_levels *dict = s->col[j].dict;

	for (size_t i = 0; i < x.n; i++) {
		float *cell = x.v + i * x.stride;
		uint32_t code = code_of(cell);
		long e;
		if (code)
			*cell = (float)map[code - 1];
		else if (*cell == *cell && (e = vi_levels_find_value(dict, *cell)) >= 0)
			*cell = (float)map[e];
	}
}

/* A decision's columns and level maps, allocated, and its arguments
 * checked.  @return 0 or an error. */
static int decide_start(const vae_survey *s, size_t cols, const int *kinds, int numbers,
                        vae_column **out, size_t ***map, vae_err *e)
{
	size_t n = s->n;

	*out = NULL;
	*map = NULL;
	if (cols != n)
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "rows of %zu columns, the survey has %zu",
		               cols, n);
	if (numbers < -1 || numbers >= VAE_N_KINDS)
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "unknown column kind %d", numbers);
	for (size_t j = 0; kinds && j < n; j++)
		if (kinds[j] >= VAE_N_KINDS)
			return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "unknown column kind %d", kinds[j]);
	if (!(*out = calloc(n ? n : 1, sizeof **out)) || !(*map = calloc(n ? n : 1, sizeof **map))) {
		free(*out);
		*out = NULL;
		return vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate the columns");
	}
	return 0;
}

/* Column j's kind and levels decided from its values x, its level map
 * made. */
static int decide_one(const vae_survey *s, column x, size_t j, const int *kinds, int numbers,
                      int other, const char *const *names, vae_column *cols, size_t **map,
                      vae_err *e)
{
	char what[400];

	col_name(what, sizeof what, names, j);
	if (!(map[j] = malloc((vi_levels_count(s->col[j].dict) + 1) * sizeof **map)))
		return vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate the levels of %s", what);
	return decide_column(s, x, j, kinds && kinds[j] >= 0 ? kinds[j] : -1, numbers, other, what,
	                     &cols[j], map[j], e);
}

/* The rows' texts and numbers of the level columns to their levels'
 * indices. */
static void convert_rows(const vae_survey *s, vae_mat *x, const vae_column *cols, size_t **map)
{
	for (size_t j = 0; j < s->n; j++)
		if (cols[j].kind >= VAE_KIND_BINARY)
			convert(s, column_of(x, j), j, map[j]);
}

static int decide_end(const vae_survey *s, vae_column **cols, size_t **map, int rc)
{
	for (size_t j = 0; map && j < s->n; j++)
		free(map[j]);
	free(map);
	if (rc) {
		vae_columns_free(*cols, s->n);
		*cols = NULL;
	}
	return rc;
}

int vae_survey_decide(vae_survey *s, vae_mat *x, const int *kinds, int numbers, int other,
                      const char *const *names, vae_column **cols, vae_err *e)
{
	size_t **map;
	int rc = decide_start(s, x->cols, kinds, numbers, cols, &map, e);

	if (rc)
		return rc;
	for (size_t j = 0; j < s->n && !rc; j++)
		rc = decide_one(s, column_of(x, j), j, kinds, numbers, other, names, *cols, map, e);
	if (!rc)
		convert_rows(s, x, *cols, map);
	return decide_end(s, cols, map, rc);
}

/* Column j of the rows on disk, gathered a block at a time into v. */
struct gathering {
	size_t j;
	float *v;
};

static int gather(vae_mat *block, size_t r0, void *arg)
{
	const struct gathering *g = arg;

	for (size_t i = 0; i < block->rows; i++)
		g->v[r0 + i] = block->x[i * block->cols + g->j];
	return 0;
}

/* The level columns of the rows on disk converted, a block at a time. */
struct converting {
	const vae_survey *s;
	const vae_column *cols;
	size_t **map;
};

static int convert_block(vae_mat *block, size_t r0, void *arg)
{
	const struct converting *c = arg;

	(void)r0;
	convert_rows(c->s, block, c->cols, c->map);
	return 0;
}

int vae_survey_decide_rows(vae_survey *s, vae_rows *src, const int *kinds, int numbers,
                           int other, const char *const *names, vae_column **cols, vae_err *e)
{
	size_t n = vae_rows_count(src), d = vae_rows_cols(src), **map;
	vae_mat block = { 0 };
	column x = { NULL, n, 1 };
	int rc = decide_start(s, d, kinds, numbers, cols, &map, e);

	if (rc)
		return rc;
	if ((rc = vae_mat_alloc(&block, vi_spool_block(d), d, e)) == 0
	    && !(x.v = malloc((n ? n : 1) * sizeof *x.v)))
		rc = vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "a column of %zu rows does not fit in memory", n);
	for (size_t j = 0; j < d && !rc; j++) {
		struct gathering g = { j, x.v };
		if (!(rc = vae_rows_each(src, &block, 0, gather, &g, e)))
			rc = decide_one(s, x, j, kinds, numbers, other, names, *cols, map, e);
	}
	struct converting c = { s, *cols, map };
	if (!rc)
		rc = vae_rows_each(src, &block, 1, convert_block, &c, e);
	free(x.v);
	vae_mat_release(&block);
	return decide_end(s, cols, map, rc);
}
