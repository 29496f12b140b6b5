/* scale.c: per-column input scaling, fitted on the training rows. */
#include <math.h>

#include "internal.h"

/* Offset and scale of the values x[first + k * stride], k < n. */
static void fit_one(const float *x, size_t n, size_t stride, int kind, float *offset, float *scale)
{
	double a = 0, b = 0, lo = INFINITY, hi = -INFINITY, off = 0, sc = 1;

	for (size_t k = 0; k < n; k++) {    /* Welford: a the mean, b the sum of squares */
		double v = x[k * stride], d = v - a;
		a += d / (double)(k + 1);
		b += d * (v - a);
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
	}
	if (kind == VAE_SCALE_STANDARD && n) {
		off = a;
		sc = n > 1 ? sqrt(b / (double)(n - 1)) : 0;
	} else if (kind == VAE_SCALE_MINMAX && n) {
		off = lo;
		sc = hi - lo;
	}
	*offset = (float)off;
	*scale = sc > 0 && isfinite(sc) ? (float)sc : 1.0f;   /* constant column */
}

int vae_model_fit_scale(vae_model *m, const vae_mat *x, int kind, int pooled, vae_err *e)
{
	size_t n = m->arch.n_in;

	if (kind != VAE_SCALE_NONE && kind != VAE_SCALE_STANDARD && kind != VAE_SCALE_MINMAX)
		return vae_fail(e, VAE_EPARAM, NULL, 0, 0, "unknown scaling %d", kind);
	if (x->cols != n)
		return vae_fail(e, VAE_EPARAM, NULL, 0, 0, "data has %zu columns, the model %zu", x->cols, n);
	m->scale_kind = kind;
	if (pooled)
		fit_one(x->x, x->rows * n, 1, kind, &m->offset[0], &m->scale[0]);
	for (size_t j = 0; j < n; j++) {
		if (!pooled)
			fit_one(x->x + j, x->rows, n, kind, &m->offset[j], &m->scale[j]);
		else {
			m->offset[j] = m->offset[0];
			m->scale[j] = m->scale[0];
		}
	}
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

	for (size_t r = 0; r < x->rows; r++)
		for (size_t j = 0; j < n; j++)
			x->x[r * n + j] = (x->x[r * n + j] - m->offset[j]) / m->scale[j];
}

void vae_model_unscale(const vae_model *m, vae_mat *x)
{
	size_t n = m->arch.n_in;

	for (size_t r = 0; r < x->rows; r++)
		for (size_t j = 0; j < n; j++)
			x->x[r * n + j] = x->x[r * n + j] * m->scale[j] + m->offset[j];
}
