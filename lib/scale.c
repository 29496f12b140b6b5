/* scale.c: per-column input scaling, fitted on the training rows. */
#include <math.h>
#include <stdlib.h>

#include "internal.h"

void vi_scale_fit(double n, double mean, double m2, double lo, double hi, int kind,
                  float *offset, float *scale)
{
	double off = 0, sc = 1;

	if (kind == VAE_SCALE_STANDARD && n > 0) {
		off = mean;
		sc = n > 1 ? sqrt(m2 / (n - 1)) : 0;
	} else if (kind == VAE_SCALE_MINMAX && n > 0) {
		off = lo;
		sc = hi - lo;
	}
	*offset = (float)off;
	*scale = sc > 0 && isfinite(sc) ? (float)sc : 1.0f;   /* constant column */
}

int vi_col_stats_init(vi_col_stats *s, size_t n)
{
	double *st = malloc(5 * (n ? n : 1) * sizeof *st);

	s->n = n;
	s->rows = 0;
	s->cnt = st;
	s->mean = st + n;
	s->m2 = st + 2 * n;
	s->lo = st + 3 * n;
	s->hi = st + 4 * n;
	for (size_t j = 0; st && j < n; j++) {
		s->cnt[j] = s->mean[j] = s->m2[j] = 0;
		s->lo[j] = INFINITY;
		s->hi[j] = -INFINITY;
	}
	return st ? 0 : -1;
}

void vi_col_stats_free(vi_col_stats *s)
{
	free(s->cnt);
	s->cnt = NULL;
}

/* Each column's mean and m2 (Welford's updates), least and greatest value,
 * continued over the rows of x: the data is row-major and larger than the
 * caches, and the columns' updates are independent, so they vectorise. */
VI_VECTOR static void column_stats(const vae_mat *x, double rows, double *restrict mean,
                                    double *restrict m2, double *restrict lo, double *restrict hi)
{
	size_t n = x->cols;

	for (size_t r = 0; r < x->rows; r++) {
		const float *row = x->x + r * n;
		double k = rows + (double)(r + 1);
		for (size_t j = 0; j < n; j++) {
			double v = row[j], d = v - mean[j];
			mean[j] += d / k;
			m2[j] += d * (v - mean[j]);
			lo[j] = v < lo[j] ? v : lo[j];
			hi[j] = v > hi[j] ? v : hi[j];
		}
	}
}

void vi_col_stats_add(vi_col_stats *s, const vae_model *m, const vae_mat *x)
{
	if (m->table)
		vi_table_stats_add(m, s, x);
	else
		column_stats(x, s->rows, s->mean, s->m2, s->lo, s->hi);
	s->rows += (double)x->rows;
}

/* The scaling from the statistics s gathered: a table's by its columns'
 * kinds, else each column's, or one for all when pooled. */
static void fit_from(vae_model *m, const vi_col_stats *s, int kind, int pooled)
{
	size_t n = m->arch.n_in;
	double *mean = s->mean, *m2 = s->m2, *lo = s->lo, *hi = s->hi, rows = s->rows;

	if (m->table) {
		vi_table_fit_from(m, s, kind);
		return;
	}
	m->scale_kind = kind;
	if (pooled) {           /* one scaling for all: the columns' statistics merged */
		double all = 0, dev = 0, m2all = 0, lo0 = lo[0], hi0 = hi[0];
		for (size_t j = 0; j < n; j++)
			all += mean[j] / (double)n;
		for (size_t j = 0; j < n; j++) {
			m2all += m2[j];
			lo0 = lo[j] < lo0 ? lo[j] : lo0;
			hi0 = hi[j] > hi0 ? hi[j] : hi0;
		}
		for (size_t j = 0; j < n; j++)
			dev += (mean[j] - all) * (mean[j] - all);
		vi_scale_fit(rows * (double)n, all, m2all + rows * dev, lo0, hi0, kind, &m->offset[0],
		        &m->scale[0]);
	}
	for (size_t j = 0; j < n; j++) {
		if (!pooled)
			vi_scale_fit(rows, mean[j], m2[j], lo[j], hi[j], kind, &m->offset[j], &m->scale[j]);
		else {
			m->offset[j] = m->offset[0];
			m->scale[j] = m->scale[0];
		}
	}
}

static int check_fit(const vae_model *m, size_t cols, int kind, vae_err *e)
{
	if (kind != VAE_SCALE_NONE && kind != VAE_SCALE_STANDARD && kind != VAE_SCALE_MINMAX)
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "unknown scaling %d", kind);
	if (cols != m->arch.n_in)
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "data has %zu columns, the model %zu", cols,
		               m->arch.n_in);
	return 0;
}

int vae_model_fit_scale(vae_model *m, const vae_mat *x, int kind, int pooled, vae_err *e)
{
	vi_col_stats s;
	int rc;

	if ((rc = check_fit(m, x->cols, kind, e)))
		return rc;
	if (vi_col_stats_init(&s, x->cols))
		return vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate column statistics");
	vi_col_stats_add(&s, m, x);
	fit_from(m, &s, kind, pooled);
	vi_col_stats_free(&s);
	return 0;
}

/* A block's rows added to the statistics of a fit from rows on disk. */
struct gathering {
	vi_col_stats s;
	const vae_model *m;
};

static int gather_stats(vae_mat *block, size_t r0, void *arg)
{
	struct gathering *g = arg;

	(void)r0;
	vi_col_stats_add(&g->s, g->m, block);
	return 0;
}

int vae_model_fit_scale_rows(vae_model *m, vae_rows *src, int kind, int pooled, vae_err *e)
{
	size_t d = vae_rows_cols(src);
	struct gathering g = { .m = m };
	vae_mat x = { 0 };
	int rc;

	if ((rc = check_fit(m, d, kind, e)) || (rc = vae_mat_alloc(&x, vi_spool_block(d), d, e)))
		return rc;
	if (vi_col_stats_init(&g.s, d)) {
		vae_mat_release(&x);
		return vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate column statistics");
	}
	if (!(rc = vae_rows_each(src, &x, 0, gather_stats, &g, e)))
		fit_from(m, &g.s, kind, pooled);
	vi_col_stats_free(&g.s);
	vae_mat_release(&x);
	return rc;
}

int vae_model_scale_kind(const vae_model *m)
{
	return m->scale_kind;
}

void vae_model_scaling(const vae_model *m, size_t i, float *offset, float *scale)
{
	*offset = m->offset[i];
	*scale = m->scale[i];
}

void vae_model_scale(const vae_model *m, vae_mat *x)
{
	size_t n = m->arch.n_in;

	if (m->table) {
		vi_table_scale(m, x);
		return;
	}
	for (size_t r = 0; r < x->rows; r++)
		for (size_t j = 0; j < n; j++)
			x->x[r * n + j] = (x->x[r * n + j] - m->offset[j]) / m->scale[j];
}

void vae_model_unscale(const vae_model *m, vae_mat *x)
{
	size_t n = m->arch.n_in;

	if (m->table) {
		vi_table_unscale(m, x);
		return;
	}
	for (size_t r = 0; r < x->rows; r++)
		for (size_t j = 0; j < n; j++)
			x->x[r * n + j] = x->x[r * n + j] * m->scale[j] + m->offset[j];
}
