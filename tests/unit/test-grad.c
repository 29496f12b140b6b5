/* test-grad.c: every gradient against central finite differences. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "internal.h"

#define H 1e-2                  /* step; float32 loss, smooth activations */
#define TOL 2e-3                /* ||analytic - numeric|| / ||analytic + numeric|| */

static const char *const ACT[] = { "relu", "tanh", "softplus" };
static const char *const LIK[] = { "bernoulli", "gaussian", "laplace" };

static void fill(float *v, size_t n, vae_rng *r, float scale)
{
	for (size_t i = 0; i < n; i++)
		v[i] = scale * vae_rng_normal(r);
}

/* ---- one dense layer: L = sum(y .* w) ---- */

static double dense_loss(const vi_dense *l, const float *p, const float *x, size_t rows,
                         const float *w, float *y)
{
	double s = 0;

	vi_dense_forward(l, p, x, rows, y);
	for (size_t i = 0; i < rows * l->out; i++)
		s += (double)y[i] * w[i];
	return s;
}

static void test_dense(void)
{
	enum { IN = 5, OUT = 4, ROWS = 3, NP = IN * OUT + OUT };
	vi_dense l = { IN, OUT, 0, IN * OUT };
	float p[NP], g[NP], x[ROWS * IN], dx[ROWS * IN], w[ROWS * OUT], y[ROWS * OUT];
	double a[NP + ROWS * IN], n[NP + ROWS * IN];
	vae_rng r;

	vae_rng_seed(&r, 7);
	fill(p, NP, &r, 0.5f);
	fill(x, ROWS * IN, &r, 1);
	fill(w, ROWS * OUT, &r, 1);
	vi_dense_forward(&l, p, x, ROWS, y);
	vi_dense_backward(&l, p, g, x, w, ROWS, dx);   /* dy = w */
	for (size_t i = 0; i < NP + ROWS * IN; i++) {
		float *v = i < NP ? &p[i] : &x[i - NP], keep = *v;
		a[i] = i < NP ? g[i] : dx[i - NP];
		*v = keep + (float)H;
		double up = dense_loss(&l, p, x, ROWS, w, y);
		*v = keep - (float)H;
		double down = dense_loss(&l, p, x, ROWS, w, y);
		*v = keep;
		n[i] = (up - down) / (2 * H);
	}
	double err = rel_err(a, n, NP + ROWS * IN);
	CHECK(err < TOL, "dense layer dW, db, dX: relative error %.2e", err);
}

/* ---- activations: L = sum(act(x) .* w) ---- */

static void test_activation(int act)
{
	enum { N = 64 };
	float x[N], post[N], d[N], w[N];
	double a[N], n[N];
	vae_rng r;

	vae_rng_seed(&r, 11);
	fill(x, N, &r, 2);
	fill(w, N, &r, 1);
	for (size_t i = 0; i < N; i++)
		if (fabsf(x[i]) < 2 * (float)H)
			x[i] += 4 * (float)H;   /* keep clear of relu's kink */
	vi_act_forward(act, x, post, N);
	memcpy(d, w, sizeof d);
	vi_act_backward(act, x, post, d, N);
	for (size_t i = 0; i < N; i++) {
		float keep = x[i], yu, yd;
		x[i] = keep + (float)H;
		vi_act_forward(act, &x[i], &yu, 1);
		x[i] = keep - (float)H;
		vi_act_forward(act, &x[i], &yd, 1);
		x[i] = keep;
		a[i] = d[i];
		n[i] = w[i] * ((double)yu - yd) / (2 * H);
	}
	double err = rel_err(a, n, N);
	CHECK(err < TOL, "activation %s: relative error %.2e", ACT[act], err);
}

/* ---- the whole objective, every parameter ---- */

/* One configuration of the objective to check. */
struct variant {
	const char *name;
	int act, lik, ae;
	float sigma, beta, free_bits;
	int noisy;
	size_t k2;              /* a second latent level of this size, 0: none */
	size_t classes;         /* a label of this many classes, 0: none */
};

/* Where the observation parameters end: the second level's networks, or
 * the classifier, follow. */
static size_t obs_end(const vae_model *m)
{
	return m->up.n ? m->up.layer[0].w : m->cls.n ? m->cls.layer[0].w : m->n_params;
}

/* Labels for rows of a model with classes: every other row has one, the
 * rest none (the two halves of M2's objective), and the classifier's term
 * a weight of its own. */
static void some_labels(vae_ctx *c, size_t rows, vi_objective *o)
{
	size_t C = c->m->arch.n_classes;

	for (size_t r = 0; C && r < rows; r++)
		c->y[r] = r % 2 ? NAN : (float)(r * 7 % C);
	o->class_w = 0.6f;
}

/* The second level's sizes: z2 of k2, 4 hidden units between the levels. */
static void with_level2(vae_arch *a, size_t k2)
{
	a->n_latent2 = k2;
	a->hidden2 = k2 ? 4 : 0;
}

static double objective(vae_ctx *c, const float *p, size_t rows, const vi_objective *o)
{
	return vi_elbo(c, p, NULL, rows, o).obj;
}

/* |x - m| has a kink at x = m: keep every x 0.2 away from the decoder's
 * mean, farther than a step of H in any parameter moves it. */
static void clear_of_kink(vae_ctx *c, const vae_model *m, size_t rows, const vi_objective *o)
{
	const float *out = c->dt.post[m->dec.n - 1];

	vi_elbo(c, m->params, NULL, rows, o);
	for (size_t i = 0; i < rows * m->arch.n_in; i++)
		if (fabsf(c->x[i] - out[i]) < 0.2f)
			c->x[i] = out[i] + (c->x[i] >= out[i] ? 0.2f : -0.2f);
}

/* The analytic gradient of c's batch into a, and central differences of
 * the objective with step h into n, parameter by parameter. */
static void both_gradients(vae_ctx *c, vae_model *m, size_t rows, const vi_objective *o,
                           double h, float *g, double *a, double *n)
{
	vi_elbo(c, m->params, g, rows, o);
	for (size_t i = 0; i < m->n_params; i++) {
		float keep = m->params[i];
		m->params[i] = keep + (float)h;
		double up = objective(c, m->params, rows, o);
		m->params[i] = keep - (float)h;
		double down = objective(c, m->params, rows, o);
		m->params[i] = keep;
		a[i] = g[i];
		n[i] = (up - down) / (2 * h);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Free bits: a floor halfway between the middle two of the dimensions'
 * batch KLs (both levels'), so some dimensions are free and the others
 * are not, each clear of the kink. */
static float floor_between(vae_ctx *c, const vae_model *m, size_t rows, const vi_objective *o)
{
	size_t k = vi_kl_dims(m);
	double v[16];

	vi_elbo(c, m->params, NULL, rows, o);
	for (size_t j = 0; j < k; j++)
		v[j] = c->kl_dim[j] / (double)rows;
	qsort(v, k, sizeof *v, cmp_double);
	return (float)(0.5 * (v[k / 2 - 1] + v[k / 2]));
}

/* The gradient of c's batch computed as vae_fit's team does it: the rows
 * split between two contexts (3 and rows - 3), each weighted by the whole
 * batch, the KL weights from the sum of the parts' KL by dimension, and
 * the parts' gradients added up.  Into g. */
static void split_gradient(const vae_model *m, const vae_ctx *c, size_t rows,
                           const vi_objective *o, float *g)
{
	size_t d = m->arch.n_in, k = m->arch.n_latent, k2 = m->arch.n_latent2, np = m->n_params;
	size_t cut = 3, kd = vi_kl_dims(m);
	size_t r0[2] = { 0, cut }, n[2] = { cut, rows - cut };
	vae_ctx *part[2] = { vae_ctx_new(m, rows, NULL), vae_ctx_new(m, rows, NULL) };
	float *pg[2] = { malloc(np * sizeof *g), malloc(np * sizeof *g) };
	double kl, *kl_dim = calloc(kd, sizeof *kl_dim);

	for (int i = 0; i < 2; i++) {
		memcpy(part[i]->x, c->x + r0[i] * d, n[i] * d * sizeof(float));
		memcpy(part[i]->xn, c->xn + r0[i] * d, n[i] * d * sizeof(float));
		if (m->table)
			memcpy(part[i]->xin, c->xin + r0[i] * m->n_enc, n[i] * m->n_enc * sizeof(float));
		memcpy(part[i]->eps, c->eps + r0[i] * k, n[i] * k * sizeof(float));
		if (m->arch.n_classes)
			memcpy(part[i]->y, c->y + r0[i], n[i] * sizeof(float));
		if (k2)
			memcpy(part[i]->eps2, c->eps2 + r0[i] * k2, n[i] * k2 * sizeof(float));
		part[i]->noisy = c->noisy;
		vi_elbo_forward(part[i], m->params, pg[i], n[i], 1.0f / (float)rows, &kl);
		for (size_t j = 0; j < kd; j++)
			kl_dim[j] += part[i]->kl_dim[j];
	}
	for (int i = 0; i < 2; i++) {
		vi_kl_weights(kl_dim, kd, rows, o, part[i]->bw);
		vi_elbo_backward(part[i], m->params, pg[i], n[i], part[i]->bw, 1.0f / (float)rows, o);
	}
	for (size_t i = 0; i < np; i++)
		g[i] = pg[0][i] + pg[1][i];
	for (int i = 0; i < 2; i++) {
		vae_ctx_free(part[i]);
		free(pg[i]);
	}
	free(kl_dim);
}

/* Random data and eps, then the analytic gradient against central
 * differences of the objective, whole and split as vae_fit's threads
 * split a batch. */
static void check_objective(const struct variant *v)
{
	vae_arch arch = { 6, 3, 2, { 5, 4 }, v->act, v->lik, v->ae, v->sigma, 0, 0, v->classes };
	const size_t rows = 5;
	with_level2(&arch, v->k2);
	vae_model *m = vae_model_new(&arch, 3, NULL);
	vae_ctx *c = vae_ctx_new(m, rows, NULL);
	vi_objective o = { v->beta, 0, 0 };
	size_t np = m->n_params;
	float *g = malloc(np * sizeof *g);
	double *a = malloc(np * sizeof *a), *n = malloc(np * sizeof *n);
	vae_rng r;

	vae_rng_seed(&r, 5);
	for (size_t i = 0; i < rows * arch.n_in; i++)
		c->x[i] = v->lik == VAE_BERNOULLI ? (float)vae_rng_uniform(&r) : vae_rng_normal(&r);
	for (size_t i = 0; i < rows * arch.n_in; i++)
		c->xn[i] = c->x[i] + 0.3f * vae_rng_normal(&r);     /* the encoder's noisy input */
	c->noisy = v->noisy;
	fill(c->eps, rows * arch.n_latent, &r, 1);
	some_labels(c, rows, &o);
	if (v->k2)
		fill(c->eps2, rows * v->k2, &r, 1);
	for (size_t i = m->obs; i < obs_end(m) && !v->sigma; i++)
		m->params[i] = 0.3f * vae_rng_normal(&r);   /* off the initial point */
	if (v->free_bits)
		o.free_bits = floor_between(c, m, rows, &o);
	if (v->lik == VAE_LAPLACE)
		clear_of_kink(c, m, rows, &o);
	/* relu's kink is crossed less often with a smaller step */
	double h = v->act == VAE_RELU ? H / 10 : H;
	both_gradients(c, m, rows, &o, h, g, a, n);
	for (size_t i = m->obs; i < obs_end(m) && v->sigma; i++)
		n[i] = 0;               /* a fixed scale is a constant: no gradient */
	double err = rel_err(a, n, np);
	CHECK(err < (v->act == VAE_RELU ? 5 * TOL : TOL),   /* relu: a unit may cross 0 */
	      "objective %s (%s/%s), %zu parameters: relative error %.2e", v->name, ACT[v->act],
	      LIK[v->lik], np, err);
	split_gradient(m, c, rows, &o, g);
	for (size_t i = 0; i < np; i++)
		a[i] = g[i];
	err = rel_err(a, n, np);
	CHECK(err < (v->act == VAE_RELU ? 5 * TOL : TOL),
	      "objective %s (%s/%s), rows split 3 + 2: relative error %.2e", v->name, ACT[v->act],
	      LIK[v->lik], err);
	free(a);
	free(n);
	free(g);
	vae_ctx_free(c);
	vae_model_free(m);
}

/* ---- a table: every kind in one model, with masks and missing cells ---- */

static void check_table(int act, int masked, size_t k2, size_t classes)
{
	static const char *const yn[] = { "no", "yes" }, *const abc[] = { "a", "b", "c" };
	vae_column cols[7] = {
		{ VAE_KIND_REAL, 0, 0, 0, NULL }, { VAE_KIND_POSITIVE, 0, 0, 0, NULL },
		{ VAE_KIND_COUNT, 0, 0, 0, NULL }, { VAE_KIND_COUNT, 1, 0, 0, NULL },
		{ VAE_KIND_BINARY, 0, 0, 2, (char **)yn }, { VAE_KIND_CAT, 0, 0, 3, (char **)abc },
		{ VAE_KIND_CAT, 0, 1, 3, (char **)abc },
	};
	vae_arch arch = { 7, 3, 1, { 6 }, act, VAE_GAUSSIAN, 0, 0, 0, 0, classes };
	const size_t rows = 6;
	with_level2(&arch, k2);
	vae_model *m = vae_model_new_table(&arch, cols, masked, 3, NULL);
	vae_ctx *c = vae_ctx_new(m, rows, NULL);
	vi_objective o = { 1.0f, 0, 0 };
	size_t np = m->n_params;
	float *g = malloc(np * sizeof *g);
	double *a = malloc(np * sizeof *a), *n = malloc(np * sizeof *n);
	vae_rng r;

	vae_rng_seed(&r, 11);
	for (size_t j = 0; j < arch.n_in; j++) {        /* a count's log(1 + x) scaling */
		m->offset[j] = j == 2 || j == 3 ? 1.2f : 0;
		m->scale[j] = j == 2 || j == 3 ? 0.8f : 1;
	}
	vi_table_sync(m);
	for (size_t i = 0; i < rows; i++) {
		float *x = c->x + i * arch.n_in;
		x[0] = vae_rng_normal(&r);
		x[1] = vae_rng_normal(&r);
		x[2] = (float)(i * 3 % 7);
		x[3] = (float)(i * i);
		x[4] = (float)(i & 1);
		x[5] = (float)(i % 3);
		x[6] = (float)((i + 1) % 3);
		x[(i * 2) % arch.n_in] = i % 2 ? NAN : x[(i * 2) % arch.n_in];   /* holes */
		vi_table_input(m, x, NULL, c->xin + i * m->n_enc);
	}
	fill(c->eps, rows * arch.n_latent, &r, 1);
	some_labels(c, rows, &o);
	if (k2)
		fill(c->eps2, rows * k2, &r, 1);
	for (size_t i = m->obs; i < obs_end(m); i++)
		m->params[i] = 0.3f * vae_rng_normal(&r);
	/* z1's term (z1 - pmu)^2 e^-vp / 2 bends sharply where this table's
	 * p(z1|z2) is narrow: relative error 2.5e-2 at a step of 1e-2, 2.3e-5
	 * at 3e-3 */
	both_gradients(c, m, rows, &o, act == VAE_RELU ? H / 10 : k2 ? H / 3 : H, g, a, n);
	double err = rel_err(a, n, np);
	CHECK(err < (act == VAE_RELU ? 5 * TOL : TOL), "table of every kind (%s, %s%s%s), %zu "
	      "parameters: relative error %.2e", ACT[act], masked ? "masked" : "no masks",
	      k2 ? ", two levels" : "", classes ? ", a label" : "", np, err);
	split_gradient(m, c, rows, &o, g);
	for (size_t i = 0; i < np; i++)
		a[i] = g[i];
	err = rel_err(a, n, np);
	CHECK(err < (act == VAE_RELU ? 5 * TOL : TOL), "table of every kind (%s%s%s), rows split "
	      "3 + 3: relative error %.2e", ACT[act], k2 ? ", two levels" : "",
	      classes ? ", a label" : "", err);
	free(a);
	free(n);
	free(g);
	vae_ctx_free(c);
	vae_model_free(m);
}

/* Every check in one mode: the default, or portable mode, whose products
 * and functions are the library's own and must be as right. */
static void check_all(void)
{
	static const struct variant VARIANTS[] = {
		{ "beta 0.7", VAE_TANH, VAE_GAUSSIAN, 0, 0, 0.7f, 0, 0, 0, 0 },
		{ "free bits", VAE_TANH, VAE_GAUSSIAN, 0, 0, 1.0f, 1, 0, 0, 0 },
		{ "autoencoder", VAE_TANH, VAE_GAUSSIAN, 1, 0, 1.0f, 0, 0, 0, 0 },
		{ "denoising", VAE_SOFTPLUS, VAE_BERNOULLI, 0, 0, 1.0f, 0, 1, 0, 0 },
		{ "denoising autoencoder", VAE_TANH, VAE_LAPLACE, 1, 0, 1.0f, 0, 1, 0, 0 },
		{ "fixed sigma 0.5 (MSE)", VAE_TANH, VAE_GAUSSIAN, 0, 0.5f, 1.0f, 0, 0, 0, 0 },
		{ "fixed b 0.5 (L1)", VAE_SOFTPLUS, VAE_LAPLACE, 0, 0.5f, 1.0f, 0, 0, 0, 0 },
		{ "two levels", VAE_TANH, VAE_GAUSSIAN, 0, 0, 1.0f, 0, 0, 2, 0 },
		{ "two levels, beta 0.7", VAE_SOFTPLUS, VAE_BERNOULLI, 0, 0, 0.7f, 0, 0, 2, 0 },
		{ "two levels, free bits", VAE_TANH, VAE_GAUSSIAN, 0, 0, 1.0f, 1, 0, 3, 0 },
		{ "two levels, denoising", VAE_TANH, VAE_LAPLACE, 0, 0, 1.0f, 0, 1, 2, 0 },
		{ "two levels, relu", VAE_RELU, VAE_BERNOULLI, 0, 0, 1.0f, 0, 0, 2, 0 },
		{ "a label (M2)", VAE_TANH, VAE_GAUSSIAN, 0, 0, 1.0f, 0, 0, 0, 3 },
		{ "a label, bernoulli, beta 0.7", VAE_SOFTPLUS, VAE_BERNOULLI, 0, 0, 0.7f, 0, 0, 0, 4 },
		{ "a label, free bits", VAE_TANH, VAE_GAUSSIAN, 0, 0, 1.0f, 1, 0, 0, 2 },
		{ "a label, laplace", VAE_SOFTPLUS, VAE_LAPLACE, 0, 0, 1.0f, 0, 0, 0, 2 },
		{ "a label, denoising", VAE_TANH, VAE_BERNOULLI, 0, 0, 1.0f, 0, 1, 0, 3 },
		{ "a label, relu", VAE_RELU, VAE_GAUSSIAN, 0, 0, 1.0f, 0, 0, 0, 3 },
	};

	test_dense();
	for (int act = VAE_RELU; act <= VAE_SOFTPLUS; act++)
		test_activation(act);
	for (int lik = VAE_BERNOULLI; lik <= VAE_LAPLACE; lik++)
		for (int act = VAE_RELU; act <= VAE_SOFTPLUS; act++) {
			struct variant v = { "ELBO", act, lik, 0, 0, 1.0f, 0, 0, 0, 0 };
			check_objective(&v);
		}
	for (size_t i = 0; i < sizeof VARIANTS / sizeof *VARIANTS; i++)
		check_objective(&VARIANTS[i]);
	check_table(VAE_TANH, 1, 0, 0);
	check_table(VAE_SOFTPLUS, 0, 0, 0);
	check_table(VAE_TANH, 1, 2, 0);
	check_table(VAE_TANH, 1, 0, 3);
}

int main(void)
{
	vae_set_threads(1);
	check_all();
	printf("portable mode:\n");
	vae_set_portable(1);
	check_all();
	return check_failed;
}
