/* label.c: a label's classes, Kingma et al.'s M2: the classifier q(y|x),
 * the encoder q(z|x,y) and decoder p(x|z,y) reading the label's one-hot,
 * and the training objective over rows with and without a label. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ======================================================================
 * Work buffers
 * ==================================================================== */

int vi_label_alloc(vae_ctx *c, size_t ne)
{
	const vae_model *m = c->m;
	size_t n = c->cap, C = m->arch.n_classes, k = m->arch.n_latent;

	if (!C)
		return 0;
	if (vi_trace_alloc(&c->ct, &m->cls, n))
		return VAE_ENOMEM;
	c->y = malloc(n * sizeof(float));
	c->cls = malloc(ne * sizeof(float));
	c->q = malloc(n * C * sizeof(float));
	c->dq = malloc(n * C * sizeof(float));
	c->lin = malloc(n * (m->n_enc + C) * sizeof(float));   /* inference's blocks */
	c->lzy = malloc(ne * (k + C) * sizeof(float));
	c->ldzy = malloc(ne * (k + C) * sizeof(float));
	c->lrow = malloc(ne * sizeof(size_t));
	c->lw = malloc(ne * sizeof(float));
	c->lkl = malloc(ne * sizeof(float));
	c->lx = malloc(ne * m->arch.n_in * sizeof(float));
	c->leps = malloc(ne * k * sizeof(float));
	c->wx = malloc(m->enc.layer[0].out * m->n_enc * sizeof(float));
	c->lpre = malloc(n * m->enc.layer[0].out * sizeof(float));
	c->tpre = malloc(n * m->enc.layer[0].out * sizeof(float));
	c->tpost = malloc(n * m->enc.layer[0].out * sizeof(float));
	return c->y && c->cls && c->q && c->dq && c->lin && c->lzy && c->ldzy && c->lrow && c->lw
	       && c->lkl && c->lx && c->leps && c->wx && c->lpre && c->tpre && c->tpost
	       ? 0 : VAE_ENOMEM;
}

void vi_label_free(vae_ctx *c)
{
	vi_trace_release(&c->ct, &c->m->cls);  /* nothing to release without classes */
	free(c->y);
	free(c->cls);
	free(c->q);
	free(c->dq);
	free(c->lin);
	free(c->lzy);
	free(c->ldzy);
	free(c->lrow);
	free(c->lw);
	free(c->lkl);
	free(c->lx);
	free(c->leps);
	free(c->wx);
	free(c->lpre);
	free(c->tpre);
	free(c->tpost);
}

int vi_check_labels(const vae_model *m, const float *y, size_t n, vae_err *e)
{
	if (y && !m->arch.n_classes)
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "labels given, but the model has no classes");
	for (size_t r = 0; y && r < n; r++)
		if (y[r] == y[r] && !(y[r] >= 0 && y[r] < (float)m->arch.n_classes && y[r] == floorf(y[r])))
			return vi_fail(e, VAE_EPARAM, NULL, r + 1, 0, "label %g is not one of the %zu "
			               "classes", (double)y[r], m->arch.n_classes);
	return 0;
}

/* ======================================================================
 * The networks' inputs, and the classifier
 * ==================================================================== */

/* Row i of the width-wide rows from src, then the one-hot of class cls. */
static void with_one_hot(float *dst, const float *src, size_t width, size_t C, float cls)
{
	memcpy(dst, src, width * sizeof(float));
	memset(dst + width, 0, C * sizeof(float));
	dst[width + (size_t)cls] = 1;
}

const float *vi_label_enc_input(vae_ctx *c, const float *in, size_t width, size_t n)
{
	size_t C = c->m->arch.n_classes;

	for (size_t i = 0; i < n; i++)
		with_one_hot(c->lin + i * (width + C), in + i * width, width, C, c->cls[i]);
	return c->lin;
}

/* q(y|x) of n rows from c->tpre, the encoder's first hidden layer of x
 * alone before its activation: softmax of the classifier on it. */
static void classify_trunk(vae_ctx *c, const float *p, size_t n)
{
	const vae_model *m = c->m;
	size_t C = m->arch.n_classes;

	vi_act_forward(m->enc.act, c->tpre, c->tpost, n * m->enc.layer[0].out);
	const float *lg = vi_mlp_forward(&m->cls, p, c->tpost, n, &c->ct);
	for (size_t r = 0; r < n; r++) {           /* softmax, from the largest logit */
		const float *l = lg + r * C;
		float *q = c->q + r * C, top = l[0];
		double sum = 0;
		for (size_t j = 1; j < C; j++)
			top = l[j] > top ? l[j] : top;
		for (size_t j = 0; j < C; j++)
			sum += q[j] = vi_expf(l[j] - top);
		for (size_t j = 0; j < C; j++)
			q[j] = (float)(q[j] / sum);
	}
}

const float *vi_label_dec_input(vae_ctx *c, const float *z, size_t n)
{
	size_t C = c->m->arch.n_classes, k = c->m->arch.n_latent;

	for (size_t i = 0; i < n; i++)
		with_one_hot(c->lzy + i * (k + C), z + i * k, k, C, c->cls[i]);
	return c->lzy;
}

void vi_label_classify(vae_ctx *c, const float *p, const float *in, size_t n)
{
	const vae_model *m = c->m;
	size_t C = m->arch.n_classes, w = m->n_enc + C;

	for (size_t r = 0; r < n; r++) {           /* x and no class: x's part alone */
		memcpy(c->lin + r * w, in + r * m->n_enc, m->n_enc * sizeof(float));
		memset(c->lin + r * w + m->n_enc, 0, C * sizeof(float));
	}
	vi_dense_forward(&m->enc.layer[0], p, c->lin, n, c->tpre);
	classify_trunk(c, p, n);
}

/* ======================================================================
 * Training
 * ==================================================================== */

/* The batch's rows expanded: a row with a label once, under it, weight 1;
 * one without, once for each class, weighted by q(y|x).  Each copy takes
 * its row's x and eps (the same draw for every class: the classes'
 * terms then differ by the class alone, which steadies the classifier's
 * gradient).  @return how many. */
static size_t expand(vae_ctx *c, size_t rows)
{
	const vae_model *m = c->m;
	size_t C = m->arch.n_classes, n = m->arch.n_in, k = m->arch.n_latent, e = 0;

	for (size_t r = 0; r < rows; r++) {
		int labelled = c->y[r] == c->y[r];
		for (size_t j = labelled ? (size_t)c->y[r] : 0; j < (labelled ? (size_t)c->y[r] + 1 : C); j++) {
			c->lrow[e] = r;
			c->cls[e] = (float)j;
			c->lw[e] = labelled ? 1 : c->q[r * C + j];
			memcpy(c->lx + e * n, c->x + r * n, n * sizeof(float));
			memcpy(c->leps + e * k, c->eps + r * k, k * sizeof(float));
			e++;
		}
	}
	return e;
}

/* The encoder's first layer on the expanded rows, its output before the
 * activation into c->et.pre[0]: x W^T once for each of the batch's rows,
 * then each copy adds the bias and its class's column of W (the one-hot's
 * product), where the layer on the copies would multiply every row's x
 * once for each class: half the work of a step. */
static void first_layer_rows(vae_ctx *c, const float *p, const float *in, size_t rows)
{
	const vae_model *m = c->m;
	const vi_dense *l = &m->enc.layer[0];
	size_t ni = m->n_enc, width = l->in, out = l->out;

	for (size_t o = 0; o < out; o++)
		memcpy(c->wx + o * ni, p + l->w + o * width, ni * sizeof(float));
	vi_gemm(0, 1, rows, out, ni, 1.0f, in, c->wx, 0.0f, c->lpre);
	for (size_t r = 0; r < rows; r++)          /* the classifier's input */
		for (size_t o = 0; o < out; o++)
			c->tpre[r * out + o] = c->lpre[r * out + o] + p[l->b + o];
}

static void first_layer(vae_ctx *c, const float *p)
{
	const vae_model *m = c->m;
	const vi_dense *l = &m->enc.layer[0];
	size_t ni = m->n_enc, width = l->in, out = l->out;
	float *pre = c->et.pre[0];

	for (size_t i = 0; i < c->n_ex; i++) {
		const float *xw = c->lpre + c->lrow[i] * out, *w = p + l->w + ni + (size_t)c->cls[i];
		for (size_t o = 0; o < out; o++)
			pre[i * out + o] = xw[o] + p[l->b + o] + w[o * width];
	}
}

/* Its gradient from dy, dL/d its output on the expanded rows, and c->lpre,
 * dL/d the classifier's input before its activation: the bias's and the
 * one-hot's columns' sums over the copies, x's weights' from each row's
 * copies and its own summed first (in c->lpre). */
static void first_layer_backward(vae_ctx *c, float *g, const float *in, size_t rows,
                                 const float *dy)
{
	const vae_model *m = c->m;
	const vi_dense *l = &m->enc.layer[0];
	size_t ni = m->n_enc, C = m->arch.n_classes, width = l->in, out = l->out;

	memset(g + l->b, 0, out * sizeof(float));
	for (size_t i = 0; i < rows * out; i++)
		g[l->b + i % out] += c->lpre[i];
	for (size_t o = 0; o < out; o++)
		memset(g + l->w + o * width + ni, 0, C * sizeof(float));
	for (size_t i = 0; i < c->n_ex; i++) {
		float *s = c->lpre + c->lrow[i] * out, *gy = g + l->w + ni + (size_t)c->cls[i];
		for (size_t o = 0; o < out; o++) {
			float d = dy[i * out + o];
			s[o] += d;
			g[l->b + o] += d;
			gy[o * width] += d;
		}
	}
	vi_gemm(1, 0, out, ni, rows, 1.0f, c->lpre, in, 0.0f, c->wx);     /* dW = S^T X */
	for (size_t o = 0; o < out; o++)
		memcpy(g + l->w + o * width, c->wx + o * ni, ni * sizeof(float));
}

/* q log q with 0 log 0 = 0, and a log that stays finite. */
static double qlogq(float q)
{
	return q > 0 ? q * vi_log(q) : 0;
}

double vi_label_forward(vae_ctx *c, const float *p, float *g, size_t rows, float w, double *kl)
{
	const vae_model *m = c->m;
	size_t C = m->arch.n_classes, k = m->arch.n_latent, e;
	const float *in = vi_ctx_input(c), *h, *out;
	double recon = 0, logC = vi_log((double)C);

	first_layer_rows(c, p, in, rows);
	classify_trunk(c, p, rows);
	e = c->n_ex = expand(c, rows);
	first_layer(c, p);
	h = vi_mlp_forward_on(&m->enc, p, e, &c->et);
	vi_reparameterize(h, c->leps, c->z, c->lkl, NULL, e, k, 0);
	out = vi_mlp_forward(&m->dec, p, vi_label_dec_input(c, c->z, e), e, &c->dt);
	vi_nll_obs(m, p, g, c->lx, out, e, c->row, g ? c->dout : NULL, w, c->lw);
	*kl = 0;
	for (size_t j = 0; j < k; j++)
		c->kl_dim[j] = 0;
	for (size_t i = 0; i < e; i++) {
		const float *mu = h + i * 2 * k, *lv = mu + k;
		for (size_t j = 0; j < k; j++) {
			float v = vi_clampf(lv[j], VI_LOGVAR_MIN, VI_LOGVAR_MAX);
			c->kl_dim[j] += c->lw[i] * 0.5 * (mu[j] * mu[j] + vi_expf(v) - 1 - v);
		}
		recon += (double)c->lw[i] * c->row[i];
		*kl += (double)c->lw[i] * c->lkl[i];
	}
	c->ent = c->ce = 0;
	for (size_t r = 0; r < rows; r++) {
		const float *q = c->q + r * C;
		if (c->y[r] == c->y[r]) {       /* -log q(y|x), floored as a float's log */
			c->ce -= vi_log(q[(size_t)c->y[r]] > 1e-30f ? q[(size_t)c->y[r]] : 1e-30f);
			continue;
		}
		for (size_t j = 0; j < C; j++)
			c->ent += qlogq(q[j]);
	}
	*kl += c->ent + logC * (double)rows;    /* KL(q(y|x) || p(y)), or -log p(y) */
	return recon;
}

/* Expanded row i's KL of z as the objective counts it: each dimension's
 * weighted by bw[j] / w, beta or, under free bits, 0. */
static double counted_kl(const vae_ctx *c, size_t i, const float *bw, float w)
{
	size_t k = c->m->arch.n_latent;
	const float *mu = c->et.post[c->m->enc.n - 1] + i * 2 * k, *lv = mu + k;
	double s = 0;

	for (size_t j = 0; j < k; j++) {
		float v = vi_clampf(lv[j], VI_LOGVAR_MIN, VI_LOGVAR_MAX);
		s += (double)(bw[j] / w) * 0.5 * (mu[j] * mu[j] + vi_expf(v) - 1 - v);
	}
	return s;
}

/* dL/d the classifier's logits: a row with a label, class_w (q - onehot);
 * one without, for the objective's sum_y q_y a_y with a_y its class's
 * -log p(x|z,y) + beta KL + log q_y (times w), q_y (a_y - sum q a). */
static void classifier_gradient(vae_ctx *c, size_t rows, const float *bw, float w,
                                const vi_objective *o)
{
	size_t C = c->m->arch.n_classes;

	for (size_t r = 0, i = 0; r < rows; r++) {
		const float *q = c->q + r * C;
		float *d = c->dq + r * C;
		if (c->y[r] == c->y[r]) {
			for (size_t j = 0; j < C; j++)
				d[j] = o->class_w * (q[j] - (j == (size_t)c->y[r]));
			i++;
			continue;
		}
		double mean = 0;
		for (size_t j = 0; j < C; j++, i++) {
			double a = c->row[i] + counted_kl(c, i, bw, w) + (q[j] > 0 ? vi_log(q[j]) : 0);
			d[j] = (float)a;
			mean += q[j] * a;
		}
		for (size_t j = 0; j < C; j++)
			d[j] = w * q[j] * (float)(d[j] - mean);
	}
}

void vi_label_backward(vae_ctx *c, const float *p, float *g, size_t rows, const float *bw,
                       float w, const vi_objective *o)
{
	const vae_model *m = c->m;
	size_t C = m->arch.n_classes, k = m->arch.n_latent, e = c->n_ex;
	const float *h = c->et.post[m->enc.n - 1];

	vi_mlp_backward(&m->dec, p, g, c->lzy, e, &c->dt, c->dout, c->ldzy);
	for (size_t i = 0; i < e; i++)
		memcpy(c->dz + i * k, c->ldzy + i * (k + C), k * sizeof(float));
	vi_reparameterize_backward(h, c->leps, c->dz, c->dh, e, k, bw, VI_KL_PRIOR, c->lw);
	classifier_gradient(c, rows, bw, w, o);
	vi_mlp_backward(&m->cls, p, g, c->tpost, rows, &c->ct, c->dq, c->lpre);
	vi_act_backward(m->enc.act, c->tpre, c->tpost, c->lpre, rows * m->enc.layer[0].out);
	first_layer_backward(c, g, vi_ctx_input(c), rows,
	                     vi_mlp_backward_on(&m->enc, p, g, e, &c->et, c->dh));
}
