/* adam.c: the Adam update, as torch.optim.Adam, and its state kept in the model. */
#include <math.h>
#include <stdlib.h>

#include "internal.h"

#define ADAM_B1 0.9f
#define ADAM_B2 0.999f
#define ADAM_EPS 1e-8f

int vi_adam_state(vae_model *m, vae_err *e)
{
	if (m->adam_m && m->adam_v)
		return 0;
	free(m->adam_m);
	free(m->adam_v);
	m->adam_t = 0;
	m->adam_m = calloc(m->n_params, sizeof(float));
	m->adam_v = calloc(m->n_params, sizeof(float));
	if (!m->adam_m || !m->adam_v)
		return vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate the optimiser state");
	return 0;
}

/* p -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps); and with avg, the weights'
 * moving average avg += (1 - d)(p - avg), in the same pass over p. */
VI_VECTOR void vi_adam_update(vae_model *m, const float *restrict g, const float *restrict h,
                              float f, float lr, float *restrict avg, float d, size_t lo,
                              size_t hi)
{
	float *restrict p = m->params, *restrict am = m->adam_m, *restrict av = m->adam_v;
	float step = lr / (1.0f - vi_powf(ADAM_B1, (float)m->adam_t));
	float rbc2 = 1.0f / sqrtf(1.0f - vi_powf(ADAM_B2, (float)m->adam_t));
	float w = 1 - d;

	for (size_t i = lo; i < hi; i++) {
		float gi = (h ? g[i] + h[i] : g[i]) * f;
		am[i] = ADAM_B1 * am[i] + (1 - ADAM_B1) * gi;
		av[i] = ADAM_B2 * av[i] + (1 - ADAM_B2) * gi * gi;
		p[i] -= step * am[i] / (sqrtf(av[i]) * rbc2 + ADAM_EPS);
		if (avg)
			avg[i] += w * (p[i] - avg[i]);
	}
}
