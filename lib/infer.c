/* infer.c: encoding, decoding, scoring and explaining rows in user units. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define LOG_2PI 1.8378770664093453

/* ======================================================================
 * Inference in user units, VI_BLOCK rows at a time
 * ==================================================================== */

static int check_cols(const vae_mat *a, size_t cols, const char *what, vae_err *e)
{
	if (a->cols != cols)
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "%s has %zu columns, the model expects %zu",
		                what, a->cols, cols);
	return 0;
}

/* Copy rows [r0, r0 + m) of src (cols wide) into dst, zeros after them. */
static void load_block(float *dst, const float *src, size_t r0, size_t m, size_t cols)
{
	memcpy(dst, src + r0 * cols, m * cols * sizeof(float));
	memset(dst + m * cols, 0, (VI_BLOCK - m) * cols * sizeof(float));
}

/* Rows [r0, r0 + m) of x (user units) into c->x in model units, padded.
 * In a table, a cell its column cannot take (vae_reader_impossible; a
 * plain model's reader makes none) becomes a value the column takes, so
 * that its row's other figures stay finite.  @return a bit per row of the
 * block that held such a cell: vae_score gives the row +inf. */
static uint64_t load_scaled(vae_ctx *c, const vae_mat *x, size_t r0, size_t m)
{
	vae_mat s = { m, x->cols, c->x };
	uint64_t impossible = 0;

	_Static_assert(VI_BLOCK <= 64, "a bit per row of a block");
	load_block(c->x, x->x, r0, m, x->cols);
	for (size_t i = 0; c->m->table && i < m * x->cols; i++)
		if (vae_is_impossible(c->x[i])) {
			c->x[i] = c->m->net[i % x->cols].kind == VAE_KIND_POSITIVE ? 1 : 0;
			impossible |= (uint64_t)1 << (i / x->cols);
		}
	vae_model_scale(c->m, &s);
	return impossible;
}

/* The encoder's input (n_enc wide) for the block in c->x (model units):
 * a table's rows expanded into its inputs.  Not the noisy rows of a
 * denoising fit: inference sees rows as they are. */
static const float *block_input(vae_ctx *c)
{
	const vae_model *m = c->m;
	size_t n = m->arch.n_in;

	for (size_t r = 0; m->table && r < VI_BLOCK; r++)
		vi_table_input(m, c->x + r * n, NULL, c->xin + r * m->n_enc);
	return m->table ? c->xin : c->x;
}

/* The encoder's output (mu, logvar) for the block in c->x, with classes
 * under the class of each row in c->cls. */
static float *encode_block(vae_ctx *c)
{
	const vae_model *m = c->m;
	const float *in = block_input(c);

	if (m->arch.n_classes)
		in = vi_label_enc_input(c, in, m->n_enc, VI_BLOCK);
	return vi_mlp_forward(&m->enc, m->params, in, VI_BLOCK, &c->et);
}

/* The decoder's output for the block's codes in c->z, with classes under
 * c->cls. */
static float *decode_block(vae_ctx *c)
{
	const vae_model *m = c->m;
	const float *z = m->arch.n_classes ? vi_label_dec_input(c, c->z, VI_BLOCK) : c->z;

	return vi_mlp_forward(&m->dec, m->params, z, VI_BLOCK, &c->dt);
}

/* The block's labels, rows [r0, r0 + m) of y (NULL: none), into c->y,
 * NAN after them. */
static void load_labels(vae_ctx *c, const float *y, size_t r0, size_t m)
{
	for (size_t r = 0; c->m->arch.n_classes && r < VI_BLOCK; r++)
		c->y[r] = y && r < m ? y[r0 + r] : NAN;
}

/* @return the likeliest class of row r under c->q. */
static size_t likeliest(const vae_ctx *c, size_t r)
{
	size_t C = c->m->arch.n_classes, best = 0;

	for (size_t j = 1; j < C; j++)
		best = c->q[r * C + j] > c->q[r * C + best] ? j : best;
	return best;
}

/* With classes, each row of the block in c->x under its label (c->y) or,
 * without one, its likeliest class: into c->cls. */
static void block_classes(vae_ctx *c)
{
	if (!c->m->arch.n_classes)
		return;
	vi_label_classify(c, c->m->params, block_input(c), VI_BLOCK);
	for (size_t r = 0; r < VI_BLOCK; r++)
		c->cls[r] = c->y[r] == c->y[r] ? c->y[r] : (float)likeliest(c, r);
}

/* The output h (mu, logvar, k each) of rows [r0, r0 + m) into mu, logvar;
 * with rng (each row's stream), a draw z = mu + sigma eps into mu. */
static void put_codes(const float *h, size_t k, size_t r0, size_t m, vae_mat *mu,
                      vae_mat *logvar, vae_rng *rng)
{
	for (size_t i = 0; i < m; i++) {
		const float *hm = h + i * 2 * k, *hv = hm + k;
		size_t r = r0 + i;
		for (size_t j = 0; j < k; j++) {
			float v = vi_clampf(hv[j], VI_LOGVAR_MIN, VI_LOGVAR_MAX);
			mu->x[r * k + j] = rng ? hm[j] + vi_expf(0.5f * v) * vae_rng_normal(&rng[i]) : hm[j];
			if (logvar)
				logvar->x[r * k + j] = v;
		}
	}
}

static int check_level(const vae_model *m, int level, vae_err *e)
{
	if (!vae_model_latent(m, level))
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "latent level %d: the model has %s", level,
		               m->arch.n_latent2 ? "levels 1 and 2" : "one level");
	return 0;
}

/* Level 2's input for the block whose encoder output is h: z1 = mu1 in
 * c->z, or a draw from each row's stream in rng; @return q(z2|z1)'s
 * output. */
static float *encode_up(vae_ctx *c, const float *h, vae_rng *rng, size_t m)
{
	size_t k = c->m->arch.n_latent;

	if (rng)
		vi_draw_codes(h, k, rng, m, c->z, 0, NULL);
	else
		for (size_t r = 0; r < VI_BLOCK; r++)
			memcpy(c->z + r * k, h + r * 2 * k, k * sizeof(float));
	return vi_level2_up(c);
}

/* vae_encode_level with labels y (NULL: none). */
static int encode(vae_ctx *c, int level, const vae_mat *x, const float *y, vae_mat *mu,
                  vae_mat *logvar, int sample, uint64_t seed, vae_err *e)
{
	int rc = check_cols(x, c->m->arch.n_in, "the input", e);
	vae_rng rng[VI_BLOCK];

	if (!rc)
		rc = check_level(c->m, level, e);
	if (!rc)
		rc = vi_check_labels(c->m, y, x->rows, e);
	if (c->m->arch.autoencoder)
		sample = 0;             /* its code is deterministic */
	for (size_t r0 = 0; !rc && r0 < x->rows; r0 += VI_BLOCK) {
		size_t m = x->rows - r0 < VI_BLOCK ? x->rows - r0 : VI_BLOCK;
		for (size_t i = 0; sample && i < m; i++)
			vae_rng_seed_row(&rng[i], seed, x->x + (r0 + i) * x->cols, x->cols);
		load_scaled(c, x, r0, m);
		if (c->m->arch.n_classes) {
			load_labels(c, y, r0, m);
			block_classes(c);
		}
		float *h = encode_block(c);
		if (level == 2)
			h = encode_up(c, h, sample ? rng : NULL, m);
		put_codes(h, vae_model_latent(c->m, level), r0, m, mu, logvar, sample ? rng : NULL);
	}
	mu->rows = x->rows;
	if (logvar)
		logvar->rows = x->rows;
	return rc;
}

int vae_encode_level(vae_ctx *c, int level, const vae_mat *x, vae_mat *mu, vae_mat *logvar,
                     int sample, uint64_t seed, vae_err *e)
{
	return encode(c, level, x, NULL, mu, logvar, sample, seed, e);
}

int vae_encode_labelled(vae_ctx *c, const vae_mat *x, const float *y, vae_mat *mu,
                        vae_mat *logvar, int sample, uint64_t seed, vae_err *e)
{
	return encode(c, 1, x, y, mu, logvar, sample, seed, e);
}

int vae_predict(vae_ctx *c, const vae_mat *x, float *label, float *prob, vae_err *e)
{
	int rc = check_cols(x, c->m->arch.n_in, "the input", e);

	if (!rc && !c->m->arch.n_classes)
		rc = vi_fail(e, VAE_EPARAM, NULL, 0, 0, "the model has no classes to predict");
	for (size_t r0 = 0; !rc && r0 < x->rows; r0 += VI_BLOCK) {
		size_t m = x->rows - r0 < VI_BLOCK ? x->rows - r0 : VI_BLOCK;
		load_scaled(c, x, r0, m);
		vi_label_classify(c, c->m->params, block_input(c), VI_BLOCK);
		for (size_t r = 0; r < m; r++) {
			size_t best = likeliest(c, r);
			label[r0 + r] = (float)best;
			if (prob)
				prob[r0 + r] = c->q[r * c->m->arch.n_classes + best];
		}
	}
	return rc;
}

int vae_encode(vae_ctx *c, const vae_mat *x, vae_mat *mu, vae_mat *logvar,
               int sample, uint64_t seed, vae_err *e)
{
	return vae_encode_level(c, 1, x, mu, logvar, sample, seed, e);
}

/* One draw from p(x | decoder output o) for column j, in model units. */
static float draw_obs(const vae_model *m, float o, size_t j, vae_rng *r)
{
	const float *ls = m->params + m->obs;
	float s, u;

	switch (m->arch.likelihood) {
	case VAE_BERNOULLI:
		return vae_rng_uniform(r) < 1.0 / (1.0 + vi_exp(-o)) ? 1.0f : 0.0f;
	case VAE_GAUSSIAN:
		s = vi_expf(0.5f * vi_clampf(ls[j], VI_OBS_LOGSCALE_MIN, VI_OBS_LOGSCALE_MAX));
		return o + s * vae_rng_normal(r);
	default:                        /* Laplace by inversion */
		s = vi_expf(vi_clampf(ls[j], VI_OBS_LOGSCALE_MIN, VI_OBS_LOGSCALE_MAX));
		u = (float)vae_rng_uniform(r) - 0.5f;
		return o - s * (u < 0 ? -1.0f : 1.0f) * vi_log1pf(-2.0f * fabsf(u));
	}
}

/* Decoder output o of codes z (m rows) to rows [r0, r0 + m) of out: the
 * mean, or a draw seeded by the seed and each code, in user units. */
static void finish_decode(const vae_model *m, const float *o, const float *z, vae_mat *out,
                          size_t r0, size_t rows, int sample, uint64_t seed)
{
	size_t n = m->arch.n_in, k = m->arch.n_latent;
	vae_mat part = { rows, n, out->x + r0 * n };

	for (size_t r = 0; r < rows; r++) {
		vae_rng rng;
		if (sample)
			vae_rng_seed_row(&rng, seed, z + r * k, k);
		if (m->table) {
			vi_table_decode(m, o + r * m->n_dec, part.x + r * n, sample ? &rng : NULL);
			continue;
		}
		for (size_t j = 0; j < n; j++) {
			float v = o[r * n + j];
			if (sample)
				v = draw_obs(m, v, j, &rng);
			else if (m->arch.likelihood == VAE_BERNOULLI)
				v = 1.0f / (1.0f + vi_expf(-v));
			part.x[r * n + j] = v;
		}
	}
	vae_model_unscale(m, &part);
}

/* Rows [r0, r0 + m) of level 2's codes z to z1 in c->z: the mean of
 * p(z1|z2), or a draw seeded by the seed and each row's code. */
static void decode_down(vae_ctx *c, const vae_mat *z, size_t r0, size_t m, int draw,
                        uint64_t seed)
{
	vae_rng rng[VI_BLOCK];

	for (size_t i = 0; draw && i < m; i++)
		vae_rng_seed_row(&rng[i], seed, z->x + (r0 + i) * z->cols, z->cols);
	load_block(c->z2, z->x, r0, m, z->cols);
	vi_level2_down(c, draw ? rng : NULL, m);
}

/* With classes, each code's class into c->cls: y's (NULL: none), or
 * where it gives none one drawn from p(y), uniform, seeded by the seed
 * and the code (a stream apart from the draws of x). */
static void code_classes(vae_ctx *c, const vae_mat *z, const float *y, size_t r0, size_t m,
                         uint64_t seed)
{
	size_t C = c->m->arch.n_classes;

	for (size_t r = 0; C && r < VI_BLOCK; r++) {
		vae_rng rng;
		if (r >= m || (y && y[r0 + r] == y[r0 + r])) {
			c->cls[r] = r < m ? y[r0 + r] : 0;
			continue;
		}
		vae_rng_seed_row(&rng, seed ^ 0x9e3779b97f4a7c15u, z->x + (r0 + r) * z->cols, z->cols);
		c->cls[r] = (float)(size_t)(vae_rng_uniform(&rng) * (double)C);
	}
}

/* vae_decode_level with classes y (NULL: none). */
static int decode(vae_ctx *c, int level, const vae_mat *z, const float *y, vae_mat *out,
                  int draws, uint64_t seed, vae_err *e)
{
	int rc = check_level(c->m, level, e);

	if (!rc)
		rc = check_cols(z, vae_model_latent(c->m, level), "the latent input", e);
	if (!rc)
		rc = vi_check_labels(c->m, y, z->rows, e);
	for (size_t r0 = 0; !rc && r0 < z->rows; r0 += VI_BLOCK) {
		size_t m = z->rows - r0 < VI_BLOCK ? z->rows - r0 : VI_BLOCK;
		if (level == 2)
			decode_down(c, z, r0, m, draws & VAE_DRAW_Z1, seed);
		else
			load_block(c->z, z->x, r0, m, z->cols);
		code_classes(c, z, y, r0, m, seed);
		float *o = decode_block(c);
		finish_decode(c->m, o, c->z, out, r0, m, draws & VAE_DRAW_X, seed);
	}
	out->rows = z->rows;
	return rc;
}

int vae_decode_level(vae_ctx *c, int level, const vae_mat *z, vae_mat *out, int draws,
                     uint64_t seed, vae_err *e)
{
	return decode(c, level, z, NULL, out, draws, seed, e);
}

int vae_decode_labelled(vae_ctx *c, const vae_mat *z, const float *y, vae_mat *out, int draws,
                        uint64_t seed, vae_err *e)
{
	return decode(c, 1, z, y, out, draws, seed, e);
}

int vae_decode(vae_ctx *c, const vae_mat *z, vae_mat *out, int sample, uint64_t seed,
               vae_err *e)
{
	return vae_decode_level(c, 1, z, out, sample ? VAE_DRAW_X : 0, seed, e);
}

/* The block in c->x (model units, padded): recon and elbo at z = mu of its
 * first m rows into recon[0..m) and elbo[0..m), either may be NULL; with
 * classes, under c->cls. */
static void score_pass(vae_ctx *c, size_t m, float *recon, float *elbo)
{
	const vae_model *mod = c->m;
	size_t n = mod->arch.n_in;
	float *h, *out;

	h = encode_block(c);
	vi_reparameterize(h, NULL, c->z, c->row, NULL, VI_BLOCK, mod->arch.n_latent,
	                  mod->arch.autoencoder);
	if (mod->arch.n_latent2) {      /* z1 = mu1: the KLs at the means */
		memset(c->row, 0, VI_BLOCK * sizeof *c->row);
		vi_level2_kl_at_mean(c, h, c->row);
	}
	out = decode_block(c);
	for (size_t r = 0; recon && r < m; r++)
		recon[r] = (float)vi_divergence(mod, c->x + r * n, out + r * mod->n_dec, NULL);
	if (!elbo)
		return;
	vi_nll_obs(mod, mod->params, NULL, c->x, out, m, elbo, NULL, 0, NULL);
	for (size_t r = 0; r < m; r++)
		elbo[r] += c->row[r];           /* c->row: each row's KL */
}

/* log N(v; 0, 1) summed over n values, given v^2 summed */
#define LOG_STD_NORMAL(n, sumsq) (-0.5 * ((double)(n) * LOG_2PI + (sumsq)))

/* Running log-sum-exp, one per row. */
typedef struct lse {
	double max, sum;
} lse;

static void lse_add(lse *a, double v)
{
	if (v == -INFINITY)
		return;         /* exp(v) is 0; and -inf - -inf would be a NaN */
	if (v > a->max) {
		a->sum = a->sum * vi_exp(a->max - v) + 1;
		a->max = v;
	} else {
		a->sum += vi_exp(v - a->max);
	}
}

void vi_draw_codes(const float *h, size_t k, vae_rng *rng, size_t m, float *z, int prior,
                   double *logw)
{
	memset(z, 0, VI_BLOCK * k * sizeof(float));
	for (size_t r = 0; r < m; r++) {
		const float *mu = h + r * 2 * k, *lv = mu + k;
		double zz = 0, ee = 0, lvs = 0;
		for (size_t j = 0; j < k; j++) {
			float v = vi_clampf(lv[j], VI_LOGVAR_MIN, VI_LOGVAR_MAX), eps = vae_rng_normal(&rng[r]);
			float zj = mu[j] + vi_expf(0.5f * v) * eps;
			z[r * k + j] = zj;
			zz += (double)zj * zj;
			ee += (double)eps * eps;
			lvs += v;
		}
		/* log q(z|x) = log N(eps; 0, I) - sum lv / 2 */
		if (logw)
			logw[r] = (prior ? LOG_STD_NORMAL(k, zz) : 0) - (LOG_STD_NORMAL(k, ee) - 0.5 * lvs);
	}
}

/* Sampled scores of the block in c->x: recon and elbo average -log p(x|z)
 * over the draws, nll is the IWAE bound.  With two levels, elbo is the mean
 * of each draw's -log w, the KL terms at the draws of z1 and z2; with
 * classes, under c->cls. */
static void sampled_pass(vae_ctx *c, const vae_mat *x, size_t r0, size_t m, int metric,
                         unsigned samples, uint64_t seed, float *score)
{
	const vae_model *mod = c->m;
	vae_rng rng[VI_BLOCK];
	double logw[VI_BLOCK], recon[VI_BLOCK] = { 0 }, kl[VI_BLOCK] = { 0 };
	lse acc[VI_BLOCK];
	float *h = encode_block(c);

	vi_reparameterize(h, NULL, c->z, score, NULL, m, mod->arch.n_latent, mod->arch.autoencoder);
	for (size_t r = 0; r < m; r++) {         /* score holds each row's KL for now */
		vae_rng_seed_row(&rng[r], seed, x->x + (r0 + r) * x->cols, x->cols);
		acc[r] = (lse){ -INFINITY, 0 };
	}
	for (unsigned s = 0; s < samples; s++) {
		vi_draw_codes(h, mod->arch.n_latent, rng, m, c->z, !mod->arch.n_latent2, logw);
		if (mod->arch.n_latent2)
			vi_level2_logw(c, rng, m, logw);
		float *out = decode_block(c);
		vi_nll_obs(mod, mod->params, NULL, c->x, out, m, c->row, NULL, 0, NULL);
		for (size_t r = 0; r < m; r++) {
			size_t n = mod->arch.n_in;
			recon[r] += metric == VAE_METRIC_RECON
			          ? vi_divergence(mod, c->x + r * n, out + r * mod->n_dec, NULL) : c->row[r];
			lse_add(&acc[r], logw[r] - c->row[r]);
			kl[r] -= logw[r];
		}
	}
	for (size_t r = 0; r < m; r++) {
		double rec = recon[r] / samples, k = mod->arch.n_latent2 ? kl[r] / samples : score[r];
		score[r] = metric == VAE_METRIC_NLL ? (float)-(acc[r].max + vi_log(acc[r].sum / samples))
		         : metric == VAE_METRIC_ELBO ? (float)(rec + k) : (float)rec;
	}
}

/* A pass over the block under the classes in c->cls: a metric's value
 * of its first m rows into v[0..m). */
typedef void pass_fn(vae_ctx *c, size_t m, float *v, const void *arg);

static void pass_recon(vae_ctx *c, size_t m, float *v, const void *arg)
{
	(void)arg;
	score_pass(c, m, v, NULL);
}

static void pass_elbo(vae_ctx *c, size_t m, float *v, const void *arg)
{
	(void)arg;
	score_pass(c, m, NULL, v);
}

struct sampling {
	const vae_mat *x;
	size_t r0;
	int metric;
	unsigned samples;
	uint64_t seed;
};

static void pass_sampled(vae_ctx *c, size_t m, float *v, const void *arg)
{
	const struct sampling *s = arg;

	sampled_pass(c, s->x, s->r0, m, s->metric, s->samples, s->seed, v);
}

/* With classes, a metric's scores of the block's first m rows (labels in
 * c->y): a row with a label scored under it, -log p(y) added (but to
 * recon); a row without one over every class y, its values v_y weighted
 * by q(y|x): recon their mean, elbo their mean + KL(q(y|x) || p(y)), nll
 * -log sum_y p(y) e^-v_y.  A pass for each class, or one when every row
 * has a label. */
static void over_classes(vae_ctx *c, size_t m, int metric, float *score, pass_fn *pass,
                         const void *arg)
{
	size_t C = c->m->arch.n_classes, passes = 1;
	double logC = vi_log((double)C), mean[VI_BLOCK];
	float v[VI_BLOCK];
	lse acc[VI_BLOCK];

	vi_label_classify(c, c->m->params, block_input(c), VI_BLOCK);
	for (size_t r = 0; r < m; r++) {
		passes = c->y[r] == c->y[r] ? passes : C;
		mean[r] = 0;
		acc[r] = (lse){ -INFINITY, 0 };
	}
	for (size_t j = 0; j < passes; j++) {
		for (size_t r = 0; r < VI_BLOCK; r++)
			c->cls[r] = r < m && c->y[r] == c->y[r] ? c->y[r] : (float)j;
		pass(c, m, v, arg);
		for (size_t r = 0; r < m; r++) {
			if (c->y[r] == c->y[r]) {
				if (j == 0)
					score[r] = (float)(v[r] + (metric == VAE_METRIC_RECON ? 0 : logC));
				continue;
			}
			mean[r] += c->q[r * C + j] * (double)v[r];
			lse_add(&acc[r], -logC - v[r]);
		}
	}
	for (size_t r = 0; r < m; r++) {
		double kl = logC;
		if (c->y[r] == c->y[r])
			continue;
		for (size_t j = 0; j < C; j++)
			kl += c->q[r * C + j] > 0 ? c->q[r * C + j] * vi_log(c->q[r * C + j]) : 0;
		score[r] = metric == VAE_METRIC_NLL ? (float)-(acc[r].max + vi_log(acc[r].sum))
		         : metric == VAE_METRIC_ELBO ? (float)(mean[r] + kl) : (float)mean[r];
	}
}

/* recon and elbo at z = mu of the block's first m rows (as score_pass),
 * with classes over them (c->y the rows' labels). */
static void score_block(vae_ctx *c, size_t m, float *recon, float *elbo)
{
	if (!c->m->arch.n_classes) {
		score_pass(c, m, recon, elbo);
		return;
	}
	if (recon)
		over_classes(c, m, VAE_METRIC_RECON, recon, pass_recon, NULL);
	if (elbo)
		over_classes(c, m, VAE_METRIC_ELBO, elbo, pass_elbo, NULL);
}

int vae_explain(vae_ctx *c, const vae_mat *x, float *share, vae_err *e)
{
	return vae_explain_labelled(c, x, NULL, share, e);
}

int vae_explain_labelled(vae_ctx *c, const vae_mat *x, const float *y, float *share,
                         vae_err *e)
{
	const vae_model *m = c->m;
	size_t n = m->arch.n_in, k = m->arch.n_latent;
	int rc = check_cols(x, n, "the input", e);

	if (!rc)
		rc = vi_check_labels(m, y, x->rows, e);
	for (size_t r0 = 0; !rc && r0 < x->rows; r0 += VI_BLOCK) {
		size_t rows = x->rows - r0 < VI_BLOCK ? x->rows - r0 : VI_BLOCK;
		uint64_t impossible = load_scaled(c, x, r0, rows);
		load_labels(c, y, r0, rows);
		block_classes(c);
		float *h = encode_block(c);
		for (size_t r = 0; r < VI_BLOCK; r++)
			memcpy(c->z + r * k, h + r * 2 * k, k * sizeof(float));    /* z = mu */
		float *o = decode_block(c);
		for (size_t r = 0; r < rows; r++) {
			float *sh = share + (r0 + r) * n;
			double sum = vi_divergence(m, c->x + r * n, o + r * m->n_dec, sh);
			for (size_t j = 0; j < n; j++)
				sh[j] = (impossible >> r & 1) && vae_is_impossible(x->x[(r0 + r) * n + j])
				      ? INFINITY : sum > 0 ? (float)(sh[j] / sum) : 0;
		}
	}
	return rc;
}

int vae_score(vae_ctx *c, const vae_mat *x, int metric, unsigned samples, uint64_t seed,
              float *score, vae_err *e)
{
	return vae_score_labelled(c, x, NULL, metric, samples, seed, score, e);
}

int vae_score_labelled(vae_ctx *c, const vae_mat *x, const float *y, int metric,
                       unsigned samples, uint64_t seed, float *score, vae_err *e)
{
	int rc = check_cols(x, c->m->arch.n_in, "the input", e);

	if (!rc)
		rc = vi_check_labels(c->m, y, x->rows, e);
	if (metric < 0 || metric >= VAE_N_METRICS)
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "unknown metric %d", metric);
	if (metric == VAE_METRIC_NLL && c->m->arch.autoencoder)
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "an autoencoder has no likelihood to "
		                "estimate: score it with recon");
	if (metric == VAE_METRIC_NLL && samples == 0)
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "nll needs at least one sample");
	if (c->m->arch.autoencoder)
		samples = 0;                    /* its code is deterministic */
	for (size_t r0 = 0; !rc && r0 < x->rows; r0 += VI_BLOCK) {
		size_t m = x->rows - r0 < VI_BLOCK ? x->rows - r0 : VI_BLOCK;
		uint64_t impossible = load_scaled(c, x, r0, m);
		struct sampling s = { x, r0, metric, samples, seed };
		if (c->m->arch.n_classes)
			load_labels(c, y, r0, m);
		if (samples && c->m->arch.n_classes)
			over_classes(c, m, metric, score + r0, pass_sampled, &s);
		else if (samples)
			sampled_pass(c, x, r0, m, metric, samples, seed, score + r0);
		else
			score_block(c, m, metric == VAE_METRIC_RECON ? score + r0 : NULL,
			            metric == VAE_METRIC_ELBO ? score + r0 : NULL);
		for (size_t r = r0; r < r0 + m; r++)
			if ((impossible >> (r - r0)) & 1)
				score[r] = INFINITY;    /* probability 0 */
			else if (isinf(score[r]))     /* beyond float: at least this */
				score[r] = copysignf(FLT_MAX, score[r]);
	}
	return rc;
}

/* ======================================================================
 * Rows picked from a matrix in model units, shared out over a team
 * ==================================================================== */

/* A team's scoring of rows: member i uses ctx[i]. */
struct scoring {
	vae_ctx **ctx;
	const vae_mat *x;
	const float *y;
	const size_t *idx;
	float *recon, *elbo;
};

/* recon and elbo at z = mu of rows [r0, r1), as vae_score does it */
static void score_rows_part(void *arg, int member, size_t r0, size_t r1)
{
	const struct scoring *s = arg;
	vae_ctx *c = s->ctx[member];
	size_t d = s->x->cols;

	for (size_t i = r0; i < r1; i += VI_BLOCK) {
		size_t rows = r1 - i < VI_BLOCK ? r1 - i : VI_BLOCK;
		for (size_t r = 0; r < VI_BLOCK; r++)
			if (r < rows)
				memcpy(c->x + r * d, s->x->x + (s->idx ? s->idx[i + r] : i + r) * d,
				       d * sizeof(float));
			else
				memset(c->x + r * d, 0, d * sizeof(float));
		for (size_t r = 0; c->m->arch.n_classes && r < VI_BLOCK; r++)
			c->y[r] = s->y && r < rows ? s->y[s->idx ? s->idx[i + r] : i + r] : NAN;
		score_block(c, rows, s->recon ? s->recon + i : NULL, s->elbo ? s->elbo + i : NULL);
	}
}

void vi_score_rows(vi_team *t, vae_ctx **ctx, const vae_mat *x, const float *y,
                    const size_t *idx, size_t n, float *recon, float *elbo)
{
	struct scoring s = { ctx, x, y, idx, recon, elbo };

	vi_team_blocks(t, n, score_rows_part, &s);
}

/* ======================================================================
 * Imputing a table's missing cells
 * ==================================================================== */

/* The codes of draw s for the block: z = mu + sigma eps from each row's
 * stream, or z = mu (no draws, or an autoencoder). */
static void impute_codes(vae_ctx *c, const float *h, vae_rng *rng, size_t rows, int draw)
{
	size_t k = c->m->arch.n_latent;

	for (size_t r = 0; r < VI_BLOCK; r++)
		for (size_t j = 0; j < k; j++) {
			const float *mu = h + r * 2 * k, *lv = mu + k;
			float s = vi_expf(0.5f * vi_clampf(lv[j], VI_LOGVAR_MIN, VI_LOGVAR_MAX));
			c->z[r * k + j] = draw && r < rows && !c->m->arch.autoencoder
			                ? mu[j] + s * vae_rng_normal(&rng[r]) : mu[j];
		}
}

/* Fill the missing cells of rows [r0, r0 + rows) of x: what the decoder
 * expects, summed in c->dout over the draws, or one draw of each cell. */
static void impute_block(vae_ctx *c, vae_mat *x, size_t r0, size_t rows, unsigned draws,
                         int sample, uint64_t seed)
{
	const vae_model *m = c->m;
	const float *ls = m->params + m->obs;
	size_t n = m->arch.n_in, nd = m->n_dec;
	unsigned times = sample || !draws ? 1 : draws;
	vae_rng rng[VI_BLOCK];

	for (size_t r = 0; r < rows; r++)
		vae_rng_seed_row(&rng[r], seed, x->x + (r0 + r) * n, n);
	load_scaled(c, x, r0, rows);
	load_labels(c, NULL, r0, rows);
	block_classes(c);
	float *h = encode_block(c);
	memset(c->dout, 0, rows * nd * sizeof(float));
	for (unsigned s = 0; s < times; s++) {
		impute_codes(c, h, rng, rows, sample || draws);
		float *o = decode_block(c);
		for (size_t r = 0; r < rows; r++)
			for (size_t j = 0; j < n; j++) {
				const vi_col *col = &m->net[j];
				float *cell = &x->x[(r0 + r) * n + j];
				if (*cell == *cell)
					continue;
				if (sample)     /* in c->x, which the scaled row no longer needs */
					c->x[r * n + j] = vi_col_draw(col, o + r * nd + col->out, ls[j], &rng[r]);
				else
					vi_col_expect(col, o + r * nd + col->out, ls[j], c->dout + r * nd + col->out);
			}
	}
	for (size_t r = 0; r < rows; r++)
		for (size_t j = 0; j < n; j++) {
			float *cell = &x->x[(r0 + r) * n + j];
			if (*cell != *cell)
				*cell = vi_table_unscale_cell(m, j, sample ? c->x[r * n + j]
				        : vi_col_value(&m->net[j], c->dout + r * nd + m->net[j].out, (float)times));
		}
}

int vae_impute(vae_ctx *c, vae_mat *x, unsigned draws, int sample, uint64_t seed, vae_err *e)
{
	const vae_model *m = c->m;
	size_t n = m->arch.n_in;
	int rc = check_cols(x, n, "the input", e);

	if (!rc && !m->table)
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "a model of real columns only, trained "
		               "without masks, cannot fill missing cells");
	for (size_t r = 0; !rc && r < x->rows; r++) {
		size_t seen = 0;
		for (size_t j = 0; j < n; j++)
			seen += x->x[r * n + j] == x->x[r * n + j];
		if (!seen)
			rc = vi_fail(e, VAE_EDATA, NULL, r + 1, 0, "every model cell of the row is missing");
	}
	for (size_t r0 = 0; !rc && r0 < x->rows; r0 += VI_BLOCK)
		impute_block(c, x, r0, x->rows - r0 < VI_BLOCK ? x->rows - r0 : VI_BLOCK, draws,
		             sample, seed);
	return rc;
}
