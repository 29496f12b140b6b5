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

/* Each column's mean and m2 (Welford's updates), least and greatest value,
 * in one pass over the rows: the data is row-major and larger than the
 * caches, and the columns' updates are independent, so they vectorise. */
VI_VECTOR static void column_stats(const vae_mat *x, double *restrict mean, double *restrict m2,
                                    double *restrict lo, double *restrict hi)
{
	size_t n = x->cols;

	for (size_t j = 0; j < n; j++) {
		mean[j] = m2[j] = 0;
		lo[j] = INFINITY;
		hi[j] = -INFINITY;
	}
	for (size_t r = 0; r < x->rows; r++) {
		const float *row = x->x + r * n;
		double k = (double)(r + 1);
		for (size_t j = 0; j < n; j++) {
			double v = row[j], d = v - mean[j];
			mean[j] += d / k;
			m2[j] += d * (v - mean[j]);
			lo[j] = v < lo[j] ? v : lo[j];
			hi[j] = v > hi[j] ? v : hi[j];
		}
	}
}

int vae_model_fit_scale(vae_model *m, const vae_mat *x, int kind, int pooled, vae_err *e)
{
	size_t n = m->arch.n_in;

	if (kind != VAE_SCALE_NONE && kind != VAE_SCALE_STANDARD && kind != VAE_SCALE_MINMAX)
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "unknown scaling %d", kind);
	if (x->cols != n)
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "data has %zu columns, the model %zu", x->cols, n);
	if (m->table) {
		vi_table_fit_scale(m, x, kind);
		return 0;
	}
	m->scale_kind = kind;
	double *st = malloc(4 * n * sizeof *st), *mean = st, *m2 = st + n, *lo = st + 2 * n,
	       *hi = st + 3 * n, rows = (double)x->rows;
	if (!st)
		return vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate column statistics");
	column_stats(x, mean, m2, lo, hi);
	if (pooled) {           /* one scaling for all: the columns' statistics merged */
		double all = 0, dev = 0;
		for (size_t j = 0; j < n; j++)
			all += mean[j] / (double)n;
		for (size_t j = 1; j < n; j++) {
			m2[0] += m2[j];
			lo[0] = lo[j] < lo[0] ? lo[j] : lo[0];
			hi[0] = hi[j] > hi[0] ? hi[j] : hi[0];
		}
		for (size_t j = 0; j < n; j++)
			dev += (mean[j] - all) * (mean[j] - all);
		vi_scale_fit(rows * (double)n, all, m2[0] + rows * dev, lo[0], hi[0], kind, &m->offset[0],
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
	free(st);
	return 0;
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
