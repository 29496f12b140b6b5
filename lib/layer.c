/* layer.c: dense layers and activations, forward and backward side by side. */
#include <math.h>
#include <string.h>

#include "internal.h"

/* ======================================================================
 * Dense: y = x W^T + b
 * ==================================================================== */

void vi_dense_forward(const vi_dense *l, const float *p, const float *x,
                       size_t rows, float *y)
{
	const float *b = p + l->b;

	for (size_t r = 0; r < rows; r++)
		memcpy(y + r * l->out, b, l->out * sizeof *y);
	vi_gemm(0, 1, rows, l->out, l->in, 1.0f, x, p + l->w, 1.0f, y);   /* Y += X W^T */
}

void vi_dense_backward(const vi_dense *l, const float *p, float *g, const float *x,
                        const float *dy, size_t rows, float *dx)
{
	float *db = g + l->b;

	vi_gemm(1, 0, l->out, l->in, rows, 1.0f, dy, x, 0.0f, g + l->w);  /* dW = dY^T X */
	memset(db, 0, l->out * sizeof *db);
	for (size_t r = 0; r < rows; r++)                                   /* db = 1^T dY */
		for (size_t j = 0; j < l->out; j++)
			db[j] += dy[r * l->out + j];
	if (dx)
		vi_gemm(0, 0, rows, l->in, l->out, 1.0f, dy, p + l->w, 0.0f, dx);  /* dX = dY W */
}

/* ======================================================================
 * Activations, elementwise
 * ==================================================================== */

static float softplus(float v)
{
	/* log(1 + e^v) without overflow */
	return v > 0 ? v + vi_log1pf(vi_expf(-v)) : vi_log1pf(vi_expf(v));
}

VI_VECTOR void vi_act_forward(int act, const float *pre, float *post, size_t n)
{
	switch (act) {
	case VAE_RELU:
		for (size_t i = 0; i < n; i++)
			post[i] = pre[i] > 0 ? pre[i] : 0;
		break;
	case VAE_TANH:
		for (size_t i = 0; i < n; i++)
			post[i] = vi_tanhf(pre[i]);
		break;
	case VAE_SOFTPLUS:
		for (size_t i = 0; i < n; i++)
			post[i] = softplus(pre[i]);
		break;
	}
}

VI_VECTOR void vi_act_backward(int act, const float *pre, const float *post, float *d, size_t n)
{
	switch (act) {
	case VAE_RELU:                  /* d relu = [pre > 0] */
		for (size_t i = 0; i < n; i++)
			if (!(pre[i] > 0))
				d[i] = 0;
		break;
	case VAE_TANH:                  /* d tanh = 1 - tanh^2 */
		for (size_t i = 0; i < n; i++)
			d[i] *= 1 - post[i] * post[i];
		break;
	case VAE_SOFTPLUS:              /* d softplus = sigmoid(pre) = 1 - e^-post */
		for (size_t i = 0; i < n; i++)
			d[i] *= -vi_expm1f(-post[i]);
		break;
	}
}
