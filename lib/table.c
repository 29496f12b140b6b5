/* table.c: a table's columns in the model: their units in the network,
 * their scaling, and the sums over a row of their likelihoods. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ======================================================================
 * The columns and their units
 * ==================================================================== */

static const char *check_column(const vae_column *c)
{
	if (c->kind < 0 || c->kind >= VAE_N_KINDS)
		return "an unknown kind";
	if (c->kind == VAE_KIND_BINARY && (c->n_levels < 1 || c->n_levels > 2))
		return "a binary column without one or two levels";
	if (c->kind == VAE_KIND_CAT && (c->n_levels < 1 || c->n_levels > VAE_MAX_LEVELS + 1))
		return "a cat column without 1 to 1001 levels";
	if ((c->kind == VAE_KIND_BINARY || c->kind == VAE_KIND_CAT) && !c->levels)
		return "levels without their text";
	if (c->other && c->kind != VAE_KIND_CAT)
		return "an \"other\" level outside a cat column";
	return NULL;
}

/* Copy column c's levels (binary and cat only) into d. */
static int copy_levels(vae_column *d, const vae_column *c)
{
	*d = *c;
	d->levels = NULL;
	if (c->kind != VAE_KIND_BINARY && c->kind != VAE_KIND_CAT) {
		d->n_levels = 0;
		return 0;
	}
	if (!(d->levels = calloc(c->n_levels, sizeof *d->levels)))
		return -1;
	for (size_t i = 0; i < c->n_levels; i++)
		if (!(d->levels[i] = strdup(c->levels[i] ? c->levels[i] : "")))
			return -1;
	return 0;
}

int vi_table_init(vae_model *m, const vae_column *cols, int masked, vae_err *e)
{
	size_t n = m->arch.n_in, in = 0, out = 0;

	for (size_t j = 0; j < n; j++) {
		const char *bad = check_column(&cols[j]);
		if (bad)
			return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "column %zu: %s", j + 1, bad);
	}
	m->cols = calloc(n, sizeof *m->cols);
	m->net = calloc(n, sizeof *m->net);
	if (!m->cols || !m->net)
		return vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate the columns");
	for (size_t j = 0; j < n; j++) {
		vi_col *c = &m->net[j];
		if (copy_levels(&m->cols[j], &cols[j]))
			return vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate the levels");
		c->kind = cols[j].kind;
		c->lik = c->kind == VAE_KIND_REAL ? m->arch.likelihood : VAE_GAUSSIAN;
		c->negbin = c->kind == VAE_KIND_COUNT && cols[j].negbin;
		c->n_levels = m->cols[j].n_levels;
		c->in_w = c->out_w = vi_col_width(c->kind, c->n_levels);
		c->in = in;
		c->out = out;
		c->off = 0;
		c->sc = 1;
		in += c->in_w;
		out += c->out_w;
	}
	m->table = 1;
	m->masked = masked != 0;
	m->n_enc = in + (m->masked ? n : 0);
	m->n_dec = out;
	return 0;
}

void vi_table_sync(vae_model *m)
{
	for (size_t j = 0; m->table && j < m->arch.n_in; j++) {
		m->net[j].off = m->offset[j];
		m->net[j].sc = m->scale[j];
	}
}

/* Is column j's observation parameter learned?  A real column's is unless
 * the scale is fixed or its likelihood has none; a Poisson count, a
 * binary and a cat column have none. */
static int learned(const vae_model *m, const vi_col *c)
{
	switch (c->kind) {
	case VAE_KIND_REAL: return c->lik != VAE_BERNOULLI && m->arch.obs_scale == 0;
	case VAE_KIND_POSITIVE: return 1;
	case VAE_KIND_COUNT: return c->negbin;
	}
	return 0;
}

/* ======================================================================
 * Scaling, by kind, over the observed cells
 * ==================================================================== */

/* The value a column's scaling is fitted to: a positive column's
 * logarithm, a count's log(1 + x), a real column's value. */
static double scaled_source(int kind, float x)
{
	return kind == VAE_KIND_POSITIVE ? vi_log(x) : kind == VAE_KIND_COUNT ? vi_log1p(x) : x;
}

void vi_table_stats_add(const vae_model *m, vi_col_stats *s, const vae_mat *x)
{
	size_t n = m->arch.n_in;

	for (size_t r = 0; r < x->rows; r++)
		for (size_t j = 0; j < n; j++) {        /* binary and cat: none */
			int k = m->net[j].kind;
			float v = x->x[r * n + j];
			if (k > VAE_KIND_COUNT || v != v)
				continue;
			double c = scaled_source(k, v), d = c - s->mean[j];
			s->mean[j] += d / ++s->cnt[j];
			s->m2[j] += d * (c - s->mean[j]);
			s->lo[j] = c < s->lo[j] ? c : s->lo[j];
			s->hi[j] = c > s->hi[j] ? c : s->hi[j];
		}
}

void vi_table_fit_from(vae_model *m, const vi_col_stats *s, int kind)
{
	m->scale_kind = kind;
	for (size_t j = 0; j < m->arch.n_in; j++) {
		int k = m->net[j].kind, how = k == VAE_KIND_REAL ? kind
		                             : k <= VAE_KIND_COUNT ? VAE_SCALE_STANDARD : VAE_SCALE_NONE;
		vi_scale_fit(s->cnt[j], s->mean[j], s->m2[j], s->lo[j], s->hi[j], how, &m->offset[j],
		             &m->scale[j]);
	}
	vi_table_sync(m);
}

void vi_table_scale(const vae_model *m, vae_mat *x)
{
	size_t n = m->arch.n_in;

	for (size_t r = 0; r < x->rows; r++)
		for (size_t j = 0; j < n; j++) {
			float *v = &x->x[r * n + j];
			int k = m->net[j].kind;
			if (k == VAE_KIND_REAL)
				*v = (*v - m->offset[j]) / m->scale[j];
			else if (k == VAE_KIND_POSITIVE)
				*v = (vi_logf(*v) - m->offset[j]) / m->scale[j];
		}
}

/* A cell back in user units: a real or positive value beyond a float,
 * which a column of values near FLT_MAX can give, is +-FLT_MAX, so that
 * what vae-impute fills and vae-dec writes reads back as a number (an
 * infinity would read as a missing cell). */
static float unscale_cell(const vae_model *m, size_t j, float v)
{
	int k = m->net[j].kind;

	if (k == VAE_KIND_REAL)
		v = v * m->scale[j] + m->offset[j];
	else if (k == VAE_KIND_POSITIVE)   /* > 0 however small its log: FLT_MIN at least */
		v = fmaxf(vi_expf(v * m->scale[j] + m->offset[j]), FLT_MIN);
	return isinf(v) ? copysignf(FLT_MAX, v) : v;
}

void vi_table_unscale(const vae_model *m, vae_mat *x)
{
	size_t n = m->arch.n_in;

	for (size_t r = 0; r < x->rows; r++)
		for (size_t j = 0; j < n; j++)
			x->x[r * n + j] = unscale_cell(m, j, x->x[r * n + j]);
}

float vi_table_unscale_cell(const vae_model *m, size_t j, float v)
{
	return unscale_cell(m, j, v);
}

/* ======================================================================
 * A row through the network
 * ==================================================================== */

void vi_table_input(const vae_model *m, const float *x, const unsigned char *drop, float *in)
{
	size_t n = m->arch.n_in, masks = m->n_enc - n;

	for (size_t j = 0; j < n; j++) {
		int gone = x[j] != x[j] || (drop && drop[j]);
		vi_col_input(&m->net[j], gone ? NAN : x[j], in + m->net[j].in);
		if (m->masked)
			in[masks + j] = (float)gone;
	}
}

double vi_table_nll(const vae_model *m, const float *p, float *g, const float *x,
                     const float *out, size_t rows, float *row, float *d, float w,
                     const float *rw)
{
	size_t n = m->arch.n_in, nd = m->n_dec;
	const float *ls = p + m->obs;
	float *gls = g && d ? g + m->obs : NULL;
	double sum = 0;

	if (gls)
		memset(gls, 0, n * sizeof *gls);
	for (size_t r = 0; r < rows; r++) {
		const float *xr = x + r * n, *o = out + r * nd;
		float *dr = d ? d + r * nd : NULL, wr = rw ? w * rw[r] : w;
		double s = 0;
		for (size_t j = 0; j < n; j++) {
			const vi_col *c = &m->net[j];
			if (xr[j] != xr[j]) {           /* missing: no term, no gradient */
				if (dr)
					memset(dr + c->out, 0, c->out_w * sizeof *dr);
				continue;
			}
			s += vi_col_nll(c, xr[j], o + c->out, ls[j], dr ? dr + c->out : NULL,
			                gls && learned(m, c) ? gls + j : NULL, wr);
		}
		if (row)
			row[r] = (float)s;
		sum += s;
	}
	return sum;
}

double vi_table_divergence(const vae_model *m, const float *x, const float *out, float *col)
{
	const float *ls = m->params + m->obs;
	double s = 0;

	for (size_t j = 0; j < m->arch.n_in; j++) {
		const vi_col *c = &m->net[j];
		double d = x[j] != x[j] ? 0 : vi_col_divergence(c, x[j], out + c->out, ls[j]);
		if (col)
			col[j] = (float)d;
		s += d;
	}
	return s;
}

void vi_table_decode(const vae_model *m, const float *o, float *out, vae_rng *rng)
{
	const float *ls = m->params + m->obs;
	float acc[VAE_MAX_LEVELS + 1];

	for (size_t j = 0; j < m->arch.n_in; j++) {
		const vi_col *c = &m->net[j];
		if (rng) {
			out[j] = vi_col_draw(c, o + c->out, ls[j], rng);
			continue;
		}
		memset(acc, 0, c->out_w * sizeof *acc);
		vi_col_expect(c, o + c->out, ls[j], acc);
		out[j] = vi_col_value(c, acc, 1);
	}
}
