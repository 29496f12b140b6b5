/* tests/fuzz/table.c: a mixed table from text to model and back, as
 * vae-fit and the filters take it: the survey of the columns' values
 * (vae_reader_survey, lib/survey.c), their kinds and levels decided
 * (vae_survey_decide), a table model made for them (vae_model_new_table,
 * lib/table.c), scaled, written and loaded again (COLK, lib/model_file.c),
 * the same text read again through the loaded model's columns
 * (vae_reader_use_model, lib/read.c), then a few rows scored and imputed.
 * With the reader's "keep all" bit the second read is vae-score's: a value
 * a column cannot take reads as an impossible cell, and its row must score
 * +inf (vae_reader_impossible).
 *
 * Input: the reader's two control bytes (tests/fuzz/README: format,
 * header, missing values, selection, rows a chunk, delimiter, keep all),
 * two of this harness's, for kinds mode 2 and 3 eight bytes of kinds, for
 * select mode 7 "FIELDS\0KEEP\0", then the file.
 *
 *   byte 2  bits 0-1  kinds: 0 detect all (NULL), 1 -1 for every column,
 *                     2, 3 column j's from nibble j of the kinds bytes
 *                     (byte j / 2, low nibble first): 0-4 the kind, 5-15 -1
 *           bit  2    numbers: -1, or VAE_KIND_REAL
 *           bit  3    other: reserve an "other" level in each cat column
 *           bit  4    the model is masked
 *           bits 5-6  likelihood of real columns: gaussian, laplace,
 *                     bernoulli, gaussian
 *           bit  7    obs_scale fixed at 0.5 (else learned)
 *   byte 3  bits 0-1  scaling of real columns: none, standard, minmax,
 *                     standard
 *           bits 2-3  activation: relu, tanh, softplus, relu
 *           bits 4-5  vae_impute's draws: 0, 1, 2, 5
 *           bit  6    vae_impute samples
 *           bit  7    the seed: 1 or 0x9e3779b97f4a7c15
 *
 * What must hold, else the harness aborts: decided cells are whole level
 * indices in range for binary and cat columns, whole and >= 0 for counts,
 * > 0 for positive columns, finite for real ones, and NAN only when
 * missing values are masked; the fitted scaling is finite with a scale
 * > 0; the model the library wrote loads, with the same columns, levels,
 * mask and scaling; the text read through the loaded model gives every
 * row the survey gave, bit for bit (the same text the same level index,
 * the same number the same float), and no error; scores are finite or an
 * error; vae_impute leaves observed cells bit for bit and fills every NAN
 * with a value its column can take.
 *
 * Kept small so a run is fast: at most MAX_ROWS rows and MAX_COLS columns
 * are used, and the model is not trained (its random initial weights do). */
#include "fuzz.h"          /* first: it asks for memfd_create */

#include <math.h>

#define MAX_ROWS 200
#define MAX_COLS 16
#define SCORED 8                /* rows scored and imputed */

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "table: %s:%d: ", __FILE__, __LINE__); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
		abort(); \
	} \
} while (0)

static int same_bits(float a, float b)
{
	return (a != a && b != b) || !memcmp(&a, &b, sizeof a);
}

/* Can a cell of column c hold v?  NAN only when missing is mask. */
static int fits(const vae_column *c, float v, int missing)
{
	if (v != v)
		return missing == VAE_MISSING_MASK;
	if (!isfinite(v))
		return 0;
	switch (c->kind) {
	case VAE_KIND_POSITIVE: return v > 0;
	case VAE_KIND_COUNT: return v >= 0 && v == floorf(v);
	case VAE_KIND_BINARY:
	case VAE_KIND_CAT: return v >= 0 && v == floorf(v) && v < (float)c->n_levels;
	}
	return 1;
}

/* Open the text, select its columns; with model, read them as its columns
 * say, else through survey.  @return the reader, or NULL. */
static vae_reader *open_table(const char *path, const fuzz_ctl *c, const char *fields,
                              const char *keep, vae_survey **survey, const vae_model *model)
{
	vae_err e;
	vae_reader *r = vae_reader_open(path, &c->o, &e);

	if (!r)
		return NULL;
	if (fuzz_select(r, c, vae_reader_n_fields(r), fields, keep, &e)
	    || vae_reader_n_cols(r) == 0 || vae_reader_n_cols(r) > MAX_COLS) {
		vae_reader_close(r);
		return NULL;
	}
	vae_reader_keep_all(r, c->keep_all);
	vae_reader_impossible(r, c->keep_all);  /* as vae-score reads: with kept text */
	if (survey && !(*survey = vae_survey_new(vae_reader_n_cols(r))))
		abort();
	if (survey ? vae_reader_survey(r, *survey, &e) : vae_reader_use_model(r, model, &e)) {
		if (survey) {
			vae_survey_free(*survey);
			*survey = NULL;
		}
		vae_reader_close(r);
		return NULL;
	}
	return r;
}

/* Read up to MAX_ROWS rows of r into x (MAX_ROWS x cols, rows set).
 * @return 0, or a negative code. */
static long read_rows(vae_reader *r, vae_mat *x, size_t chunk, vae_err *e)
{
	vae_text t;
	long got = 0;

	memset(&t, 0, sizeof t);
	x->rows = 0;
	do {
		size_t want = fuzz_min(chunk, MAX_ROWS - x->rows);
		vae_mat part = { 0, x->cols, x->x + x->rows * x->cols };
		if (!want)
			break;
		got = vae_reader_read(r, &part, &t, want, e);
		if (got > 0) {
			CHECK((size_t)got == part.rows && part.rows <= want,
			      "vae_reader_read returned %ld with %zu rows", got, part.rows);
			x->rows += part.rows;
		}
	} while (got > 0);
	vae_text_release(&t);
	return got < 0 ? got : 0;
}

static void same_model(const vae_model *a, const vae_model *b, size_t n)
{
	const vae_arch *x = vae_model_arch(a), *y = vae_model_arch(b);

	CHECK(y->n_in == n && x->n_latent == y->n_latent && x->n_hidden == y->n_hidden
	      && x->hidden[0] == y->hidden[0] && x->likelihood == y->likelihood
	      && x->activation == y->activation && same_bits(x->obs_scale, y->obs_scale),
	      "the loaded model's architecture differs");
	CHECK(vae_model_masked(a) == vae_model_masked(b), "masked %d, loaded %d",
	      vae_model_masked(a), vae_model_masked(b));
	CHECK(!vae_model_is_table(a) == !vae_model_is_table(b), "a table, loaded %d",
	      vae_model_is_table(b));
	CHECK(vae_model_scale_kind(a) == vae_model_scale_kind(b), "scaling kind differs");
	CHECK(vae_model_n_params(a) == vae_model_n_params(b), "parameters %zu, loaded %zu",
	      vae_model_n_params(a), vae_model_n_params(b));
	for (size_t j = 0; j < n; j++) {
		const vae_column *p = vae_model_column(a, j), *q = vae_model_column(b, j);
		const char *s = vae_model_name(a, j), *t = vae_model_name(b, j);
		float o1, s1, o2, s2;
		CHECK(p->kind == q->kind && p->n_levels == q->n_levels && p->other == q->other
		      && (p->kind != VAE_KIND_COUNT || p->negbin == q->negbin),
		      "column %zu: kind %d/%d levels %zu/%zu other %d/%d negbin %d/%d", j, p->kind,
		      q->kind, p->n_levels, q->n_levels, p->other, q->other, p->negbin, q->negbin);
		for (size_t i = 0; i < p->n_levels; i++)
			CHECK(!strcmp(p->levels[i], q->levels[i]), "column %zu level %zu: \"%s\", loaded \"%s\"",
			      j, i, p->levels[i], q->levels[i]);
		CHECK(!s == !t && (!s || !strcmp(s, t)), "column %zu's name differs", j);
		vae_model_scaling(a, j, &o1, &s1);
		vae_model_scaling(b, j, &o2, &s2);
		CHECK(same_bits(o1, o2) && same_bits(s1, s2), "column %zu's scaling differs", j);
	}
}

/* Write m, load it back.  @return the loaded model (aborts if it fails). */
static vae_model *reload(const vae_model *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	fuzz_file f;
	vae_err e;
	vae_model *back;

	CHECK(fp, "open_memstream");
	CHECK(!vae_model_write(m, fp, &e), "vae_model_write: %s", e.msg);
	CHECK(!fclose(fp), "fclose of the memstream");
	fuzz_file_open(&f, buf, len);
	free(buf);
	back = vae_model_load(f.path, 0, &e);
	fuzz_file_close(&f);
	CHECK(back, "the model written does not load: %s", e.msg);
	return back;
}

/* Score and impute the first rows of x (user units) with m. */
static void use(const vae_model *m, const vae_mat *x, const uint8_t *t, int missing)
{
	static const unsigned draws[4] = { 0, 1, 2, 5 };
	size_t n = x->cols, rows = fuzz_min(x->rows, SCORED);
	uint64_t seed = t[1] >> 7 ? 0x9e3779b97f4a7c15u : 1;
	vae_mat head = { rows, n, x->x }, y = { 0, 0, NULL };
	float score[SCORED];
	vae_err e;
	vae_ctx *c = vae_ctx_new(m, VAE_BLOCK_ROWS, &e);

	CHECK(c, "vae_ctx_new: %s", e.msg);
	int impossible = 0;             /* a cell that scores its row inf */
	for (size_t i = 0; i < rows * n; i++)
		impossible |= vae_is_impossible(head.x[i]);
	for (int k = 0; k < VAE_N_METRICS; k++) {
		if (vae_score(c, &head, k, 2, seed, score, &e))
			continue;
		for (size_t i = 0; i < rows; i++) {
			int none = 1;
			for (size_t j = 0; j < n; j++)
				none &= !vae_is_impossible(head.x[i * n + j]);
			CHECK(none ? isfinite(score[i]) : score[i] == INFINITY,
			      "metric %d, row %zu: score %g", k, i, (double)score[i]);
		}
	}
	if (impossible) {               /* vae-impute reads without impossible cells */
		vae_ctx_free(c);
		return;
	}
	if (vae_mat_alloc(&y, rows, n, &e))
		abort();
	memcpy(y.x, head.x, rows * n * sizeof *y.x);
	if (!vae_impute(c, &y, draws[t[1] >> 4 & 3], t[1] >> 6 & 1, seed, &e))
		for (size_t i = 0; i < rows * n; i++) {
			const vae_column *col = vae_model_column(m, i % n);
			if (head.x[i] == head.x[i])
				CHECK(same_bits(head.x[i], y.x[i]), "row %zu column %zu: observed %g imputed "
				      "as %g", i / n, i % n, (double)head.x[i], (double)y.x[i]);
			else
				CHECK(y.x[i] == y.x[i] && fits(col, y.x[i], missing),
				      "row %zu column %zu (kind %d, %zu levels): imputed %g", i / n, i % n,
				      col->kind, col->n_levels, (double)y.x[i]);
		}
	vae_mat_release(&y);
	vae_ctx_free(c);
}

/* The table in path, surveyed, decided, modelled, reloaded and read again. */
static void table(const char *path, const fuzz_ctl *c, const uint8_t *t, const uint8_t *kb,
                  const char *fields, const char *keep)
{
	static const int liks[4] = { VAE_GAUSSIAN, VAE_LAPLACE, VAE_BERNOULLI, VAE_GAUSSIAN };
	static const int scalings[4] = { VAE_SCALE_NONE, VAE_SCALE_STANDARD, VAE_SCALE_MINMAX,
	                                 VAE_SCALE_STANDARD };
	static const int acts[4] = { VAE_RELU, VAE_TANH, VAE_SOFTPLUS, VAE_RELU };
	vae_survey *survey = NULL;
	vae_reader *r = open_table(path, c, fields, keep, &survey, NULL);
	vae_mat x = { 0, 0, NULL }, y = { 0, 0, NULL }, s = { 0, 0, NULL };
	vae_column *cols = NULL;
	vae_model *m = NULL, *back = NULL;
	const char *names[MAX_COLS];
	int kinds[MAX_COLS], named = 1, bernoulli = liks[t[0] >> 5 & 3] == VAE_BERNOULLI;
	size_t n, chunk = fuzz_min(c->chunk, MAX_ROWS);
	vae_err e;

	if (!r)
		return;
	n = vae_reader_n_cols(r);
	if (vae_reader_format(r) != VAE_FMT_CSV && vae_reader_format(r) != VAE_FMT_TSV)
		goto out;       /* vae-fit surveys text only: a tensor's levels are indices */
	for (size_t j = 0; j < n; j++) {
		names[j] = vae_reader_col_name(r, j);
		named &= names[j] != NULL;
		kinds[j] = kb && (kb[j / 2] >> (j % 2 * 4) & 15) < VAE_N_KINDS
		         ? kb[j / 2] >> (j % 2 * 4) & 15 : -1;
	}
	if (vae_mat_alloc(&x, MAX_ROWS, n, &e))
		abort();
	if (read_rows(r, &x, chunk, &e) || x.rows == 0
	    || vae_survey_decide(survey, &x, (t[0] & 3) ? kinds : NULL,
	                         t[0] >> 2 & 1 ? VAE_KIND_REAL : -1, t[0] >> 3 & 1,
	                         named ? names : NULL, &cols, &e))
		goto out;

	for (size_t i = 0; i < x.rows * n; i++) {
		const vae_column *col = &cols[i % n];
		CHECK(fits(col, x.x[i], c->o.missing), "row %zu column %zu (kind %d, %zu levels): "
		      "decided %g, missing mode %d", i / n, i % n, col->kind, col->n_levels,
		      (double)x.x[i], c->o.missing);
	}
	for (size_t j = 0; j < n; j++) {
		const vae_column *col = &cols[j];
		CHECK(col->kind >= 0 && col->kind < VAE_N_KINDS, "column %zu: kind %d", j, col->kind);
		CHECK(col->kind == VAE_KIND_BINARY ? col->n_levels >= 1 && col->n_levels <= 2
		      : col->kind == VAE_KIND_CAT ? col->n_levels >= 1
		                                    && col->n_levels <= VAE_MAX_LEVELS + 1
		      : 1, "column %zu: kind %d with %zu levels", j, col->kind, col->n_levels);
		CHECK(!col->other || col->kind == VAE_KIND_CAT, "column %zu: other in kind %d", j,
		      col->kind);
		for (size_t i = 0; i < col->n_levels; i++)
			CHECK(col->levels && col->levels[i], "column %zu: level %zu without text", j, i);
	}

	vae_arch a = { .n_in = n, .n_latent = 1, .n_hidden = 1, .hidden = { 2 },
	               .activation = acts[t[1] >> 2 & 3], .likelihood = liks[t[0] >> 5 & 3],
	               .obs_scale = t[0] >> 7 ? 0.5f : 0 };
	if (!(m = vae_model_new_table(&a, cols, t[0] >> 4 & 1, 7, &e)))
		goto out;
	if (named && vae_model_set_names(m, names, n, &e))
		goto out;
	CHECK(!vae_model_fit_scale(m, &x, scalings[t[1] & 3], 0, &e), "vae_model_fit_scale: %s",
	      e.msg);
	for (size_t j = 0; j < n; j++) {
		float off, sc;
		vae_model_scaling(m, j, &off, &sc);
		CHECK(isfinite(off) && isfinite(sc) && sc > 0, "column %zu (kind %d): offset %g scale %g",
		      j, cols[j].kind, (double)off, (double)sc);
	}
	if (vae_mat_alloc(&s, x.rows, n, &e))
		abort();
	memcpy(s.x, x.x, x.rows * n * sizeof *s.x);
	vae_model_scale(m, &s);
	for (size_t i = 0; i < x.rows * n; i++) {
		int k = cols[i % n].kind;
		if (x.x[i] != x.x[i] || k == VAE_KIND_BINARY || k == VAE_KIND_CAT || k == VAE_KIND_COUNT)
			CHECK(same_bits(x.x[i], s.x[i]), "row %zu column %zu (kind %d): %g scaled to %g",
			      i / n, i % n, k, (double)x.x[i], (double)s.x[i]);
		if (bernoulli && k == VAE_KIND_REAL && !(s.x[i] >= 0 && s.x[i] <= 1) && s.x[i] == s.x[i])
			bernoulli = -1;         /* vae-fit refuses it: no scores */
	}

	back = reload(m);
	same_model(m, back, n);
	vae_reader_close(r);
	if (!(r = open_table(path, c, fields, keep, NULL, back))) {
		CHECK(0, "the text selected for the survey is refused with the model");
	}
	CHECK(vae_reader_n_cols(r) == n, "%zu columns, then %zu", n, vae_reader_n_cols(r));
	if (vae_mat_alloc(&y, MAX_ROWS, n, &e))
		abort();
	long rc = read_rows(r, &y, chunk, &e);
	CHECK(rc == 0 && y.rows == x.rows, "the survey read %zu rows, the model's columns "
	      "%zu%s%s", x.rows, y.rows, rc ? ", then: " : "", rc ? e.msg : "");
	for (size_t i = 0; i < y.rows * n; i++)
		CHECK(same_bits(x.x[i], y.x[i]), "row %zu column %zu (kind %d): decided %g, read with "
		      "the model as %g", i / n, i % n, cols[i % n].kind, (double)x.x[i], (double)y.x[i]);
	if (bernoulli >= 0)
		use(back, &y, t, c->o.missing);
out:
	vae_model_free(back);
	vae_model_free(m);
	vae_columns_free(cols, n);
	vae_mat_release(&s);
	vae_mat_release(&y);
	vae_mat_release(&x);
	vae_survey_free(survey);
	vae_reader_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_ctl c;
	fuzz_file f;
	const char *fields = NULL, *keep = NULL;
	const uint8_t *t, *kb = NULL;
	size_t at = fuzz_ctl_decode(&c, data, size, VAE_FMT_AUTO);

	if (at == 0 || size - at < 2)
		return 0;
	t = data + at;
	at += 2;
	if (t[0] & 2) {
		if (size - at < MAX_COLS / 2)
			return 0;
		kb = data + at;
		at += MAX_COLS / 2;
	}
	if (c.select == 7)
		at += fuzz_lists(data + at, size - at, &fields, &keep);
	fuzz_file_open(&f, data + at, size - at);
	table(f.path, &c, t, kb, fields, keep);
	fuzz_file_close(&f);
	return 0;
}
