/* test-rows: rows on disk (lib/rows.c) and training from them: the spool
 * gives back what went in, its scaling is the in-memory scaling bit for
 * bit, and a fit streamed through a small memory learns as one in memory. */
#include <stdlib.h>
#include <string.h>

#include "../../lib/internal.h"
#include "check.h"

/* Rows of a noisy 2-D manifold in 8 columns, a few cells missing when holes. */
static void manifold(vae_mat *x, size_t n, uint64_t seed, int holes)
{
	vae_rng r;

	vae_mat_alloc(x, n, 8, NULL);
	vae_rng_seed(&r, seed);
	for (size_t i = 0; i < n; i++) {
		float a = vae_rng_normal(&r), b = vae_rng_normal(&r);
		for (size_t j = 0; j < 8; j++)
			x->x[i * 8 + j] = (float)(j + 1) * a + (j % 3 ? b * b : -b)
			                + 0.1f * vae_rng_normal(&r);
		if (holes && i % 7 == 3)
			x->x[i * 8 + i % 8] = NAN;
	}
}

static void test_round_trip(void)
{
	vae_mat x, y, part;
	vae_err e = { 0 };
	vae_rows *s = vae_rows_spool(8, NULL, &e);
	int ok;

	manifold(&x, 1000, 3, 1);
	CHECK(s && vae_rows_count(s) == 0 && vae_rows_cols(s) == 8, "an empty spool: %s", e.msg);
	part = (vae_mat){ 300, 8, x.x };
	ok = !vae_rows_append(s, &part, &e);
	part = (vae_mat){ 700, 8, x.x + 300 * 8 };
	ok = ok && !vae_rows_append(s, &part, &e);
	vae_mat_alloc(&y, 1000, 8, NULL);
	ok = ok && !vae_rows_get(s, 0, &y, &e);
	CHECK(ok && vae_rows_count(s) == 1000 && !memcmp(x.x, y.x, 1000 * 8 * sizeof(float)),
	      "rows appended in two parts come back bit for bit, NaNs too: %s", e.msg);
	part = (vae_mat){ 10, 8, x.x };
	ok = !vae_rows_put(s, 500, &part, &e);
	part.x = y.x;
	ok = ok && !vae_rows_get(s, 500, &part, &e);
	CHECK(ok && !memcmp(x.x, y.x, 10 * 8 * sizeof(float)), "rows put in the middle: %s", e.msg);
	part.rows = 501;
	CHECK(vae_rows_get(s, 500, &part, &e) == VAE_EPARAM, "rows beyond the end: %s", e.msg);
	vae_mat_release(&y);
	CHECK(vae_rows_spool(8, "/nonexistent-dir", &e) == NULL && e.code == VAE_EIO,
	      "no spool in a directory that is not there: %s", e.msg);
	vae_mat_release(&x);
	vae_rows_close(s);
}

/* Spooled rows' scaling equals the rows in memory's bit for bit, for
 * plain columns, pooled ones and a table's. */
static void test_scaling(void)
{
	vae_arch a = { 8, 2, 1, { 16 }, VAE_RELU, VAE_GAUSSIAN, 0, 0, 0, 0, 0 };
	vae_column cols[8] = { { VAE_KIND_REAL, 0, 0, 0, NULL } };
	vae_err e = { 0 };
	vae_mat x;
	int same = 1;

	manifold(&x, 20000, 4, 0);
	for (size_t j = 0; j < 8; j++)
		cols[j].kind = VAE_KIND_REAL;
	for (int kind = 0; kind < 4; kind++) {      /* plain, pooled, minmax, table */
		vae_rows *s = vae_rows_spool(8, NULL, &e);
		vae_model *m1 = kind == 3 ? vae_model_new_table(&a, cols, 1, 1, &e) : vae_model_new(&a, 1, &e);
		vae_model *m2 = kind == 3 ? vae_model_new_table(&a, cols, 1, 1, &e) : vae_model_new(&a, 1, &e);
		int how = kind == 2 ? VAE_SCALE_MINMAX : VAE_SCALE_STANDARD;
		vae_rows_append(s, &x, &e);
		vae_model_fit_scale(m1, &x, how, kind == 1, &e);
		vae_model_fit_scale_rows(m2, s, how, kind == 1, &e);
		same &= !memcmp(m1->offset, m2->offset, 8 * sizeof(float))
		      && !memcmp(m1->scale, m2->scale, 8 * sizeof(float));
		vae_model_free(m1);
		vae_model_free(m2);
		vae_rows_close(s);
	}
	CHECK(same, "scaling fitted from a spool a block at a time equals the in-memory one");
	vae_mat_release(&x);
}

static double mean_elbo(vae_model *m, const vae_mat *x)
{
	vae_ctx *c = vae_ctx_new(m, x->rows, NULL);
	float *s = malloc(x->rows * sizeof *s);
	double sum = 0;

	vae_score(c, x, VAE_METRIC_ELBO, 0, 1, s, NULL);
	for (size_t i = 0; i < x->rows; i++)
		sum += s[i];
	free(s);
	vae_ctx_free(c);
	return sum / (double)x->rows;
}

/* A fit streamed through 200 KB (windows of 2500 of 20000 rows, blocks
 * cut to a quarter of that) learns as well as one in memory, on rows
 * neither saw; its validation rows, as many as an eighth of the memory
 * holds, are held out. */
static void test_fit(void)
{
	vae_arch a = { 8, 2, 1, { 32 }, VAE_TANH, VAE_GAUSSIAN, 0, 0, 0, 0, 0 };
	vae_fit_opts o = vae_fit_defaults();
	vae_err e = { 0 };
	vae_mat x, test, scaled;
	vae_rows *s = vae_rows_spool(8, NULL, &e);
	vae_model *mem = vae_model_new(&a, 5, &e), *disk = vae_model_new(&a, 5, &e);
	double in_memory, streamed;
	int rc;

	manifold(&x, 20000, 5, 0);
	manifold(&test, 2000, 6, 0);
	vae_rows_append(s, &x, &e);
	vae_model_fit_scale(mem, &x, VAE_SCALE_STANDARD, 0, &e);
	vae_model_fit_scale_rows(disk, s, VAE_SCALE_STANDARD, 0, &e);
	o.epochs = 5;
	o.batch = 64;
	o.val = 0.1f;
	o.threads = 2;
	o.memory = 200000;
	vae_mat_alloc(&scaled, x.rows, 8, NULL);
	memcpy(scaled.x, x.x, x.rows * 8 * sizeof(float));
	vae_model_scale(mem, &scaled);
	CHECK(vae_fit(mem, &scaled, &o, &e) == 0, "the fit in memory: %s", e.msg);
	rc = vae_fit_rows(disk, s, &o, &e);
	CHECK(rc == 0, "the fit from the spool: %s", e.msg);
	in_memory = mean_elbo(mem, &test);
	streamed = mean_elbo(disk, &test);
	CHECK(streamed < in_memory + 0.05 * fabs(in_memory) + 0.5,
	      "streamed test -ELBO %.3f, in memory %.3f", streamed, in_memory);
	CHECK(disk->record.held_out && disk->record.rows == 20000 - 200000 / 8 / (8 * sizeof(float)),
	      "the validation rows, an eighth of the memory, held out: %llu training rows",
	      (unsigned long long)disk->record.rows);
	o.memory = 2000;
	CHECK(vae_fit_rows(disk, s, &o, &e) == VAE_EPARAM, "too little memory for a window: %s", e.msg);
	vae_mat_release(&x);
	vae_mat_release(&test);
	vae_mat_release(&scaled);
	vae_model_free(mem);
	vae_model_free(disk);
	vae_rows_close(s);
}

int main(void)
{
	vae_set_threads(1);
	test_round_trip();
	test_scaling();
	test_fit();
	return check_failed;
}
