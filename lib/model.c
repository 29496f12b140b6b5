/* model.c: the model in memory: building it, what it holds, its calibration. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ======================================================================
 * Building
 * ==================================================================== */

const char *vae_check_arch(const vae_arch *a)
{
	if (a->n_in == 0)
		return "the model has no input columns";
	if (a->n_latent == 0)
		return "latent size is 0";
	if (a->n_hidden > VAE_MAX_HIDDEN)
		return "too many hidden layers (at most 8)";
	for (size_t i = 0; i < a->n_hidden; i++)
		if (a->hidden[i] == 0)
			return "a hidden layer has size 0";
	if (a->activation < VAE_RELU || a->activation > VAE_SOFTPLUS)
		return "unknown activation";
	if (a->likelihood < VAE_BERNOULLI || a->likelihood > VAE_LAPLACE)
		return "unknown likelihood";
	if (a->obs_scale != 0 && a->likelihood == VAE_BERNOULLI)
		return "a fixed scale (sigma) needs the gaussian or laplace likelihood";
	if (a->obs_scale != 0 && !(a->obs_scale >= 0.012f && a->obs_scale <= 80.0f))
		return "the fixed scale (sigma) must be from 0.012 to 80";
	if (a->n_latent2 && a->autoencoder)
		return "a plain autoencoder has one latent level";
	if (a->n_classes && (a->n_latent2 || a->autoencoder))
		return "a label (classes) needs one latent level and the KL term: not two levels, "
		       "not a plain autoencoder";
	if (a->n_classes && a->n_hidden == 0)
		return "a label (classes) needs a hidden layer, which the classifier shares";
	if (a->n_classes > VAE_MAX_LEVELS)
		return "too many classes (at most 1000)";
	if ((a->n_latent2 == 0) != (a->hidden2 == 0))
		return a->hidden2 ? "a hidden size between latent levels, but one level"
		                  : "the hidden layer between the latent levels has size 0";
	/* The count is checked here, not after allocating: sizes from a model
	 * file's header or the options could wrap it to a small number.  The
	 * parameters, their gradient and Adam's two moments must each be
	 * addressable. */
	vi_mlp enc, dec, up, down, cls;
	size_t obs;
	if (vi_layout(a, a->n_in, a->n_in, 0, &enc, &dec, &obs, &up, &down, &cls)
	    > SIZE_MAX / (4 * sizeof(float)))
		return "too many parameters: the layers are too wide";
	return NULL;
}

vae_model *vi_model_alloc(const vae_arch *a, const vae_column *cols, int masked, vae_err *e)
{
	const char *bad = vae_check_arch(a);
	vae_model *m;

	if (bad) {
		vi_fail(e, VAE_EPARAM, NULL, 0, 0, "%s", bad);
		return NULL;
	}
	if (!(m = calloc(1, sizeof *m)))
		goto nomem;
	m->arch = *a;
	m->n_enc = m->n_dec = a->n_in;
	if (cols && vi_table_init(m, cols, masked, e)) {
		vae_model_free(m);
		return NULL;
	}
	m->n_params = vi_layout(a, m->n_enc, m->n_dec, m->table, &m->enc, &m->dec, &m->obs, &m->up,
	                        &m->down, &m->cls);
	if (m->n_params > SIZE_MAX / (4 * sizeof(float))) {
		vae_model_free(m);
		vi_fail(e, VAE_EPARAM, NULL, 0, 0, "too many parameters: the layers are too wide");
		return NULL;
	}
	m->params = malloc(m->n_params * sizeof(float));
	m->offset = malloc(a->n_in * sizeof(float));
	m->scale = malloc(a->n_in * sizeof(float));
	m->quantiles = calloc(VAE_N_METRICS * VAE_N_QUANTILES, sizeof(float));
	if (m->params && m->offset && m->scale && m->quantiles)
		return m;
nomem:
	vae_model_free(m);
	vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate the model");
	return NULL;
}

/* Uniform in +-1/sqrt(fan_in) for weights and biases, as torch.nn.Linear. */
static void init_mlp(const vi_mlp *net, float *p, vae_rng *r)
{
	for (size_t l = 0; l < net->n; l++) {
		const vi_dense *d = &net->layer[l];
		float bound = 1.0f / sqrtf((float)d->in);
		for (size_t i = 0; i < d->in * d->out + d->out; i++)
			p[d->w + i] = bound * (float)(2.0 * vae_rng_uniform(r) - 1.0);
	}
}

static vae_model *new_model(const vae_arch *a, const vae_column *cols, int masked, uint64_t seed,
                            vae_err *e)
{
	vae_model *m = vi_model_alloc(a, cols, masked, e);
	vae_rng r;

	if (!m)
		return NULL;
	vae_rng_seed(&r, seed);
	init_mlp(&m->enc, m->params, &r);
	init_mlp(&m->dec, m->params, &r);
	/* log sigma^2 (gaussian) or log b (laplace): 0 is unit scale in model
	 * units, or the fixed scale asked for; a negative binomial's log r
	 * starts at 2, moderately overdispersed */
	float ls = a->obs_scale == 0 ? 0 : vi_logf(a->obs_scale) * (a->likelihood == VAE_GAUSSIAN ? 2 : 1);
	size_t obs_end = m->up.n ? m->up.layer[0].w : m->cls.n ? m->cls.layer[0].w : m->n_params;
	for (size_t i = m->obs; i < obs_end; i++) {
		const vae_column *col = vae_model_column(m, i - m->obs);
		m->params[i] = col->kind == VAE_KIND_REAL ? ls : col->kind == VAE_KIND_COUNT ? 2 : 0;
	}
	init_mlp(&m->up, m->params, &r);        /* after the rest: one level draws as it did */
	init_mlp(&m->down, m->params, &r);
	init_mlp(&m->cls, m->params, &r);
	m->scale_kind = VAE_SCALE_NONE;
	for (size_t j = 0; j < a->n_in; j++) {
		m->offset[j] = 0;
		m->scale[j] = 1;
	}
	vi_table_sync(m);
	return m;
}

vae_model *vae_model_new(const vae_arch *a, uint64_t seed, vae_err *e)
{
	return new_model(a, NULL, 0, seed, e);
}

vae_model *vae_model_new_table(const vae_arch *a, const vae_column *cols, int masked,
                               uint64_t seed, vae_err *e)
{
	if (!cols)
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "no columns"), NULL;
	return new_model(a, cols, masked, seed, e);
}

static void free_names(vae_model *m)
{
	if (m->names)
		for (size_t i = 0; i < m->arch.n_in; i++)
			free(m->names[i]);
	free(m->names);
	m->names = NULL;
}

static void free_classes(vae_model *m)
{
	for (size_t i = 0; m->classes && i < m->arch.n_classes; i++)
		free(m->classes[i]);
	free(m->classes);
	free(m->label);
	m->classes = NULL;
	m->label = NULL;
}

void vae_model_free(vae_model *m)
{
	if (!m)
		return;
	free_names(m);
	free_classes(m);
	vae_columns_free(m->cols, m->arch.n_in);
	free(m->net);
	vi_bf16_forget(m->params);
	free(m->params);
	free(m->offset);
	free(m->scale);
	free(m->quantiles);
	free(m->adam_m);
	free(m->adam_v);
	free(m);
}

/* ======================================================================
 * What a model holds
 * ==================================================================== */

const vae_arch *vae_model_arch(const vae_model *m) { return &m->arch; }
const vae_record *vae_model_record(const vae_model *m) { return &m->record; }
size_t vae_model_n_params(const vae_model *m) { return m->n_params; }

size_t vae_model_latent(const vae_model *m, int level)
{
	return level == 1 ? m->arch.n_latent : level == 2 ? m->arch.n_latent2 : 0;
}

const char *vae_model_name(const vae_model *m, size_t i)
{
	return m->names && i < m->arch.n_in ? m->names[i] : NULL;
}

int vae_model_set_names(vae_model *m, const char *const *names, size_t n, vae_err *e)
{
	free_names(m);
	if (!names)
		return 0;
	if (n != m->arch.n_in)
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "%zu names for %zu columns", n, m->arch.n_in);
	if (!(m->names = calloc(n, sizeof *m->names)))
		return vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate column names");
	for (size_t i = 0; i < n; i++)
		if (!(m->names[i] = strdup(names[i]))) {
			free_names(m);
			return vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate column names");
		}
	return 0;
}

int vae_model_set_classes(vae_model *m, const char *name, const char *const *classes, size_t n,
                          vae_err *e)
{
	if (n != m->arch.n_classes)
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "%zu class names for %zu classes", n,
		               m->arch.n_classes);
	free_classes(m);
	m->classes = calloc(n ? n : 1, sizeof *m->classes);
	if (!m->classes || (name && !(m->label = strdup(name))))
		goto nomem;
	for (size_t i = 0; i < n; i++)
		if (!(m->classes[i] = strdup(classes[i])))
			goto nomem;
	return 0;
nomem:
	free_classes(m);
	return vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate the class names");
}

size_t vae_model_classes(const vae_model *m, const char *const **classes, const char **name)
{
	if (classes)
		*classes = (const char *const *)m->classes;
	if (name)
		*name = m->label;
	return m->arch.n_classes;
}

long vae_model_class(const vae_model *m, const char *s, size_t len)
{
	for (size_t i = 0; m->classes && i < m->arch.n_classes; i++)
		if (strlen(m->classes[i]) == len && !memcmp(m->classes[i], s, len))
			return (long)i;
	return -1;
}

void vae_model_set_image(vae_model *m, uint32_t h, uint32_t w)
{
	m->image_h = h;
	m->image_w = w;
}

int vae_model_image(const vae_model *m, uint32_t *h, uint32_t *w)
{
	*h = m->image_h;
	*w = m->image_w;
	return m->image_h > 0 && m->image_w > 0;
}

/* ======================================================================
 * Its scores' calibration: the quantiles of the training rows' scores
 * ==================================================================== */

int vae_model_calibration(const vae_model *m, int metric, uint64_t *rows, unsigned *samples)
{
	if (!m->has_quantiles || metric < 0 || metric >= VAE_N_METRICS || !m->q_rows[metric])
		return 0;
	*rows = m->q_rows[metric];
	*samples = m->q_samples[metric];
	return 1;
}

int vae_model_default_metric(const vae_model *m)
{
	if (m->arch.autoencoder || (!m->table && m->arch.likelihood == VAE_BERNOULLI))
		return VAE_METRIC_RECON;
	return VAE_METRIC_ELBO;
}

double vae_model_pvalue(const vae_model *m, int metric, float score)
{
	const float *q;
	double below = 0, n;

	if (!m->has_quantiles || metric < 0 || metric >= VAE_N_METRICS || !m->q_rows[metric]
	    || score != score)
		return NAN;
	q = m->quantiles + metric * VAE_N_QUANTILES;
	n = (double)m->q_rows[metric];
	if (score >= q[VAE_N_QUANTILES - 1])
		below = 1;
	else if (score > q[0]) {        /* invert the interpolated quantile function */
		size_t i = 0;
		while (q[i + 1] < score)
			i++;
		double f = q[i + 1] > q[i] ? (score - q[i]) / (q[i + 1] - q[i]) : 1;
		below = ((double)i + f) / (VAE_N_QUANTILES - 1);
	}
	return (1 + n * (1 - below)) / (n + 1);    /* (1 + #{training >= score}) / (n + 1) */
}

float vae_model_quantile(const vae_model *m, int metric, double p)
{
	const float *q;
	double pos;
	size_t lo;

	if (!m->has_quantiles || metric < 0 || metric >= VAE_N_METRICS || !(p >= 0 && p <= 1))
		return NAN;
	q = m->quantiles + metric * VAE_N_QUANTILES;
	pos = p * (VAE_N_QUANTILES - 1);
	lo = (size_t)pos;
	if (lo >= VAE_N_QUANTILES - 1)
		return q[VAE_N_QUANTILES - 1];
	return (float)(q[lo] + (pos - (double)lo) * (q[lo + 1] - q[lo]));
}

/* ======================================================================
 * Its columns
 * ==================================================================== */

const vae_column *vae_model_column(const vae_model *m, size_t j)
{
	static const vae_column real = { VAE_KIND_REAL, 0, 0, 0, NULL };

	return m->cols && j < m->arch.n_in ? &m->cols[j] : &real;
}

int vae_model_masked(const vae_model *m) { return m->masked; }
int vae_model_is_table(const vae_model *m) { return m->table; }

void vae_columns_free(vae_column *cols, size_t n)
{
	for (size_t j = 0; cols && j < n; j++) {
		for (size_t i = 0; cols[j].levels && i < cols[j].n_levels; i++)
			free(cols[j].levels[i]);
		free(cols[j].levels);
	}
	free(cols);
}
