/* scale.c: per-column input scaling, fitted on the training rows. */
#include <math.h>

#include "internal.h"

int vae_model_fit_scale(vae_model *m, const vae_mat *x, int kind, vae_err *e)
{
	size_t n = m->arch.n_in;

	if (kind != VAE_SCALE_NONE && kind != VAE_SCALE_STANDARD && kind != VAE_SCALE_MINMAX)
		return vae_fail(e, VAE_EPARAM, NULL, 0, 0, "unknown scaling %d", kind);
	if (x->cols != n)
		return vae_fail(e, VAE_EPARAM, NULL, 0, 0, "data has %zu columns, the model %zu", x->cols, n);
	m->scale_kind = kind;
	for (size_t j = 0; j < n; j++) {
		double a = 0, b = 0, lo = INFINITY, hi = -INFINITY;
		for (size_t r = 0; r < x->rows; r++) {   /* Welford: a mean, b sum of squares */
			double v = x->x[r * n + j], d = v - a;
			a += d / (double)(r + 1);
			b += d * (v - a);
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
		double off = 0, sc = 1;
		if (kind == VAE_SCALE_STANDARD && x->rows) {
			off = a;
			sc = x->rows > 1 ? sqrt(b / (double)(x->rows - 1)) : 0;
		} else if (kind == VAE_SCALE_MINMAX && x->rows) {
			off = lo;
			sc = hi - lo;
		}
		m->offset[j] = (float)off;
		m->scale[j] = sc > 0 && isfinite(sc) ? (float)sc : 1.0f;   /* constant column */
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
