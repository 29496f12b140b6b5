/* elbo.c: the negative ELBO over a batch, forward and backward, and its work buffers. */
#include <math.h>
#include <stdlib.h>

#include "internal.h"

/* ======================================================================
 * Work buffers
 * ==================================================================== */

vae_ctx *vae_ctx_new(const vae_model *m, size_t max_rows, vae_err *e)
{
	vae_ctx *c = calloc(1, sizeof *c);
	size_t k = m->arch.n_latent, d = m->arch.n_in, nd = m->n_dec;
	size_t n = max_rows > VI_BLOCK ? max_rows : VI_BLOCK;   /* inference pads to a block */
	size_t ne = n * (m->arch.n_classes ? m->arch.n_classes : 1);  /* a pass's rows */

	if (!c)
		goto nomem;
	c->m = m;
	c->cap = n;
	if (vi_trace_alloc(&c->et, &m->enc, ne) || vi_trace_alloc(&c->dt, &m->dec, ne))
		goto nomem;
	c->x = malloc(n * d * sizeof(float));
	c->eps = malloc(n * k * sizeof(float));
	c->z = malloc(ne * k * sizeof(float));
	c->dz = malloc(ne * k * sizeof(float));
	c->dh = malloc(ne * 2 * k * sizeof(float));
	c->dout = malloc(ne * nd * sizeof(float));
	c->row = malloc(ne * sizeof(float));
	c->xn = malloc(n * d * sizeof(float));
	c->xin = m->table ? malloc(n * m->n_enc * sizeof(float)) : NULL;
	c->kl_dim = malloc(vi_kl_dims(m) * sizeof(double));
	c->bw = malloc(vi_kl_dims(m) * sizeof(float));
	if (c->x && c->eps && c->z && c->dz && c->dh && c->dout && c->row && c->xn && c->kl_dim && c->bw
	    && (c->xin || !m->table) && !vi_level2_alloc(c) && !vi_label_alloc(c, ne)) {
		vi_bf16_hold(m->params, m->n_params);
		return c;
	}
nomem:
	vae_ctx_free(c);
	vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate work buffers for %zu rows", n);
	return NULL;
}

void vae_ctx_free(vae_ctx *c)
{
	if (!c)
		return;
	vi_trace_release(&c->et, &c->m->enc);
	vi_trace_release(&c->dt, &c->m->dec);
	free(c->x);
	free(c->eps);
	free(c->z);
	free(c->dz);
	free(c->dh);
	free(c->dout);
	free(c->row);
	free(c->xn);
	free(c->xin);
	free(c->kl_dim);
	free(c->bw);
	vi_level2_free(c);
	vi_label_free(c);
	free(c);
}

/* ======================================================================
 * The negative ELBO over a batch, forward and backward
 * ==================================================================== */

double vi_reparameterize(const float *h, const float *eps, float *z, float *kl_row,
                         double *kl_dim, size_t rows, size_t k, int ae)
{
	double kl = 0;

	for (size_t j = 0; kl_dim && j < k; j++)
		kl_dim[j] = 0;
	for (size_t r = 0; r < rows; r++) {
		const float *mu = h + r * 2 * k, *lv = mu + k;
		double s = 0;
		for (size_t j = 0; j < k; j++) {
			float v = vi_clampf(lv[j], VI_LOGVAR_MIN, VI_LOGVAR_MAX), e = vi_expf(v);
			double d = ae ? 0 : 0.5 * (mu[j] * mu[j] + e - 1 - v);
			z[r * k + j] = eps && !ae ? mu[j] + sqrtf(e) * eps[r * k + j] : mu[j];
			s += d;
			if (kl_dim)
				kl_dim[j] += d;
		}
		if (kl_row)
			kl_row[r] = (float)s;
		kl += s;
	}
	return kl;
}

void vi_reparameterize_backward(const float *h, const float *eps, const float *dz, float *dh,
                                size_t rows, size_t k, const float *bw, int form, const float *rw)
{
	for (size_t r = 0; r < rows; r++) {
		const float *mu = h + r * 2 * k, *lv = mu + k;
		float *dmu = dh + r * 2 * k, *dlv = dmu + k, wr = rw ? rw[r] : 1;
		for (size_t j = 0; j < k; j++) {
			float v = vi_clampf(lv[j], VI_LOGVAR_MIN, VI_LOGVAR_MAX), e = vi_expf(v);
			float g = dz[r * k + j];
			/* the KL's own terms: (mu^2 + e^lv - 1 - lv) / 2, or -lv / 2 */
			float kmu = form == VI_KL_PRIOR ? wr * mu[j] : 0;
			float klv = wr * (form == VI_KL_PRIOR ? 0.5f * (e - 1) : -0.5f);
			dmu[j] = form == VI_KL_NONE ? g : g + bw[j] * kmu;  /* dz/dmu = 1 */
			dlv[j] = form == VI_KL_NONE || v != lv[j] ? 0       /* dz/dlv = eps s / 2 */
			       : g * eps[r * k + j] * 0.5f * sqrtf(e) + bw[j] * klv;
		}
	}
}

/* How level 1's KL term is formed: against N(0, I), or with two levels
 * from the draws. */
static int kl_form(const vae_model *m)
{
	return m->arch.autoencoder ? VI_KL_NONE : m->arch.n_latent2 ? VI_KL_SAMPLED : VI_KL_PRIOR;
}

double vi_kl_weights(const double *kl_dim, size_t k, size_t rows, const vi_objective *o,
                      float *bw)
{
	double sum = 0, floor = (double)o->free_bits * (double)rows;

	for (size_t j = 0; j < k; j++) {
		int free = kl_dim[j] < floor;
		sum += free ? floor : kl_dim[j];
		bw[j] = free ? 0 : o->beta / (float)rows;
	}
	return sum;
}

double vi_elbo_forward(vae_ctx *c, const float *p, float *g, size_t rows, float w, double *kl)
{
	const vae_model *m = c->m;
	float *h, *out;

	if (m->arch.n_classes)
		return vi_label_forward(c, p, g, rows, w, kl);
	h = vi_mlp_forward(&m->enc, p, vi_ctx_input(c), rows, &c->et);
	*kl = vi_reparameterize(h, c->eps, c->z, NULL, c->kl_dim, rows, m->arch.n_latent,
	                        m->arch.autoencoder);
	if (m->arch.n_latent2)
		*kl = vi_level2_forward(c, p, h, rows);
	out = vi_mlp_forward(&m->dec, p, c->z, rows, &c->dt);
	return vi_nll_obs(m, p, g, c->x, out, rows, NULL, g ? c->dout : NULL, w, NULL);
}

void vi_elbo_backward(vae_ctx *c, const float *p, float *g, size_t rows, const float *bw,
                      float w, const vi_objective *o)
{
	const vae_model *m = c->m;
	const float *h = c->et.post[m->enc.n - 1];

	if (m->arch.n_classes) {
		vi_label_backward(c, p, g, rows, bw, w, o);
		return;
	}
	vi_mlp_backward(&m->dec, p, g, c->z, rows, &c->dt, c->dout, c->dz);
	if (m->arch.n_latent2)
		vi_level2_backward(c, p, g, rows, bw);
	vi_reparameterize_backward(h, c->eps, c->dz, c->dh, rows, m->arch.n_latent, bw, kl_form(m),
	                           NULL);
	vi_mlp_backward(&m->enc, p, g, vi_ctx_input(c), rows, &c->et, c->dh, NULL);
}

vi_terms vi_elbo(vae_ctx *c, const float *p, float *g, size_t rows, const vi_objective *o)
{
	const vae_model *m = c->m;
	vi_terms t;
	double klobj;

	t.recon = vi_elbo_forward(c, p, g, rows, 1.0f / (float)rows, &t.kl);
	klobj = m->arch.autoencoder ? 0 : vi_kl_weights(c->kl_dim, vi_kl_dims(m), rows, o, c->bw);
	t.obj = (t.recon + o->beta * klobj) / (double)rows;
	if (m->arch.n_classes)          /* the label's terms: q log q, and the classifier's */
		t.obj += c->ent / (double)rows + o->class_w * c->ce;
	if (g)
		vi_elbo_backward(c, p, g, rows, c->bw, 1.0f / (float)rows, o);
	return t;
}
