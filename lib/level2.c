/* level2.c: the second stochastic level: q(z2|z1), p(z2) = N(0, I) and p(z1|z2). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define LOG_2PI 1.8378770664093453

/* ======================================================================
 * Work buffers
 * ==================================================================== */

int vi_level2_alloc(vae_ctx *c)
{
	const vae_model *m = c->m;
	size_t n = c->cap, k = m->arch.n_latent, k2 = m->arch.n_latent2;

	if (!k2)
		return 0;
	if (vi_trace_alloc(&c->ut, &m->up, n) || vi_trace_alloc(&c->pt, &m->down, n))
		return VAE_ENOMEM;
	c->eps2 = malloc(n * k2 * sizeof(float));
	c->z2 = malloc(n * k2 * sizeof(float));
	c->dz2 = malloc(n * k2 * sizeof(float));
	c->dh2 = malloc(n * 2 * k2 * sizeof(float));
	c->dp = malloc(n * 2 * k * sizeof(float));
	c->dzu = malloc(n * k * sizeof(float));
	return c->eps2 && c->z2 && c->dz2 && c->dh2 && c->dp && c->dzu ? 0 : VAE_ENOMEM;
}

void vi_level2_free(vae_ctx *c)
{
	vi_trace_release(&c->ut, &c->m->up);    /* nothing to release with one level */
	vi_trace_release(&c->pt, &c->m->down);
	free(c->eps2);
	free(c->z2);
	free(c->dz2);
	free(c->dh2);
	free(c->dp);
	free(c->dzu);
}

/* ======================================================================
 * Training: the KL terms forward and backward
 * ==================================================================== */

/* p(z1|z2)'s mean and clamped log-variance for row r, dimension j. */
#define PRIOR_MU(hp, r, j, k) ((hp)[(r) * 2 * (k) + (j)])
#define PRIOR_LV(hp, r, j, k) vi_clampf((hp)[(r) * 2 * (k) + (k) + (j)], VI_LOGVAR_MIN, VI_LOGVAR_MAX)

double vi_level2_forward(vae_ctx *c, const float *p, const float *h, size_t rows)
{
	const vae_model *m = c->m;
	size_t k = m->arch.n_latent, k2 = m->arch.n_latent2;
	const float *h2 = vi_mlp_forward(&m->up, p, c->z, rows, &c->ut);
	double kl = vi_reparameterize(h2, c->eps2, c->z2, NULL, c->kl_dim + k, rows, k2, 0);
	const float *hp = vi_mlp_forward(&m->down, p, c->z2, rows, &c->pt);

	for (size_t j = 0; j < k; j++)
		c->kl_dim[j] = 0;
	for (size_t r = 0; r < rows; r++)
		for (size_t j = 0; j < k; j++) {
			double v1 = vi_clampf(h[r * 2 * k + k + j], VI_LOGVAR_MIN, VI_LOGVAR_MAX);
			double vp = PRIOR_LV(hp, r, j, k), e = c->eps[r * k + j];
			double d = (double)c->z[r * k + j] - PRIOR_MU(hp, r, j, k);
			/* log q(z1|x) - log p(z1|z2) = (-v1 - eps^2 + vp + d^2 e^-vp) / 2 */
			double t = 0.5 * (vp - v1 + d * d * vi_exp(-vp) - e * e);
			c->kl_dim[j] += t;
			kl += t;
		}
	return kl;
}

void vi_level2_backward(vae_ctx *c, const float *p, float *g, size_t rows, const float *bw)
{
	const vae_model *m = c->m;
	size_t k = m->arch.n_latent, k2 = m->arch.n_latent2;
	const float *hp = c->pt.post[m->down.n - 1], *h2 = c->ut.post[m->up.n - 1];

	for (size_t r = 0; r < rows; r++)
		for (size_t j = 0; j < k; j++) {
			float vp = PRIOR_LV(hp, r, j, k), iv = vi_expf(-vp);
			float d = c->z[r * k + j] - PRIOR_MU(hp, r, j, k);
			float *dmu = c->dp + r * 2 * k, *dlv = dmu + k;
			dmu[j] = -bw[j] * d * iv;               /* of (vp + d^2 e^-vp) / 2 */
			dlv[j] = vp != hp[r * 2 * k + k + j] ? 0 : bw[j] * 0.5f * (1 - d * d * iv);
			c->dz[r * k + j] += bw[j] * d * iv;
		}
	vi_mlp_backward(&m->down, p, g, c->z2, rows, &c->pt, c->dp, c->dz2);
	vi_reparameterize_backward(h2, c->eps2, c->dz2, c->dh2, rows, k2, bw + k, VI_KL_PRIOR, NULL);
	vi_mlp_backward(&m->up, p, g, c->z, rows, &c->ut, c->dh2, c->dzu);
	for (size_t i = 0; i < rows * k; i++)
		c->dz[i] += c->dzu[i];
}

/* ======================================================================
 * Inference, a block at a time
 * ==================================================================== */

float *vi_level2_up(vae_ctx *c)
{
	return vi_mlp_forward(&c->m->up, c->m->params, c->z, VI_BLOCK, &c->ut);
}

void vi_level2_kl_at_mean(vae_ctx *c, const float *h, float *row)
{
	const vae_model *m = c->m;
	size_t k = m->arch.n_latent, k2 = m->arch.n_latent2;
	const float *hp;

	vi_reparameterize(vi_level2_up(c), NULL, c->z2, row, NULL, VI_BLOCK, k2, 0);
	hp = vi_mlp_forward(&m->down, m->params, c->z2, VI_BLOCK, &c->pt);
	for (size_t r = 0; r < VI_BLOCK; r++) {
		double s = 0;
		for (size_t j = 0; j < k; j++) {
			double v1 = vi_clampf(h[r * 2 * k + k + j], VI_LOGVAR_MIN, VI_LOGVAR_MAX);
			double vp = PRIOR_LV(hp, r, j, k), d = (double)h[r * 2 * k + j] - PRIOR_MU(hp, r, j, k);
			/* KL(N(mu1, e^v1) || N(pmu, e^vp)) */
			s += 0.5 * (vp - v1 + (vi_exp(v1) + d * d) * vi_exp(-vp) - 1);
		}
		row[r] += (float)s;
	}
}

void vi_level2_logw(vae_ctx *c, vae_rng *rng, size_t m, double *logw)
{
	const vae_model *mod = c->m;
	size_t k = mod->arch.n_latent;
	double top[VI_BLOCK];
	const float *hp;

	vi_draw_codes(vi_level2_up(c), mod->arch.n_latent2, rng, m, c->z2, 1, top);
	hp = vi_mlp_forward(&mod->down, mod->params, c->z2, VI_BLOCK, &c->pt);
	for (size_t r = 0; r < m; r++) {
		double lp = 0;
		for (size_t j = 0; j < k; j++) {
			double vp = PRIOR_LV(hp, r, j, k), d = (double)c->z[r * k + j] - PRIOR_MU(hp, r, j, k);
			lp -= 0.5 * (LOG_2PI + vp + d * d * vi_exp(-vp));  /* log p(z1|z2) */
		}
		logw[r] += top[r] + lp;
	}
}

void vi_level2_down(vae_ctx *c, vae_rng *rng, size_t m)
{
	const vae_model *mod = c->m;
	size_t k = mod->arch.n_latent;
	const float *hp = vi_mlp_forward(&mod->down, mod->params, c->z2, VI_BLOCK, &c->pt);

	if (rng) {
		vi_draw_codes(hp, k, rng, m, c->z, 0, NULL);
		return;
	}
	for (size_t r = 0; r < VI_BLOCK; r++)
		memcpy(c->z + r * k, hp + r * 2 * k, k * sizeof(float));
}
