/* net.c: encoder and decoder stacks, and where their parameters live. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* a + b and a * b, or SIZE_MAX when the result would not fit (SIZE_MAX
 * stays SIZE_MAX), so that sizes from a model file or options cannot wrap
 * to a small count. */
static size_t add(size_t a, size_t b)
{
	return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

static size_t mul(size_t a, size_t b)
{
	return b && a > SIZE_MAX / b ? SIZE_MAX : a * b;
}

/* Append dense layers for sizes dims[0] -> dims[1] -> ... -> dims[n]. */
static size_t stack(vi_mlp *m, const size_t *dims, size_t n, int act, size_t at)
{
	m->n = n;
	m->act = act;
	for (size_t l = 0; l < n; l++) {
		vi_dense *d = &m->layer[l];
		d->in = dims[l];
		d->out = dims[l + 1];
		d->w = at;
		d->b = add(at, mul(d->in, d->out));
		at = add(d->b, d->out);
	}
	return at;
}

size_t vi_layout(const vae_arch *a, size_t n_enc, size_t n_dec, int table, vi_mlp *enc,
                 vi_mlp *dec, size_t *obs, vi_mlp *up, vi_mlp *down, vi_mlp *cls)
{
	size_t dims[VAE_MAX_HIDDEN + 2], h = a->n_hidden, at, c = a->n_classes;

	/* encoder: n_enc (+ the label's one-hot) -> hidden[0] -> ... -> hidden[h-1]
	 * -> 2 n_latent */
	dims[0] = add(n_enc, c);
	for (size_t i = 0; i < h; i++)
		dims[i + 1] = a->hidden[i];
	dims[h + 1] = mul(2, a->n_latent);
	at = stack(enc, dims, h + 1, a->activation, 0);
	/* decoder mirrors it: n_latent (+ one-hot) -> hidden[h-1] -> ... -> hidden[0]
	 * -> n_dec */
	dims[0] = add(a->n_latent, c);
	for (size_t i = 0; i < h; i++)
		dims[i + 1] = a->hidden[h - 1 - i];
	dims[h + 1] = n_dec;
	at = stack(dec, dims, h + 1, a->activation, at);
	/* one observation parameter per column: a log-scale for the real-valued
	 * likelihoods, a table's negative binomial's log r */
	*obs = at;
	at = add(at, a->likelihood == VAE_BERNOULLI && !table ? 0 : a->n_in);
	/* two levels: z1 -> hidden2 -> 2 n_latent2, z2 -> hidden2 -> 2 n_latent */
	up->n = down->n = cls->n = 0;
	if (a->n_latent2) {
		dims[0] = a->n_latent;
		dims[1] = a->hidden2;
		dims[2] = mul(2, a->n_latent2);
		at = stack(up, dims, 2, a->activation, at);
		dims[0] = a->n_latent2;
		dims[2] = mul(2, a->n_latent);
		at = stack(down, dims, 2, a->activation, at);
	}
	/* labels: the classifier q(y|x) on the encoder's first hidden layer
	 * (its x part, shared): hidden[0] -> ... -> hidden[h-1] -> n_classes */
	if (!c || !h)
		return at;
	for (size_t i = 0; i < h; i++)
		dims[i] = a->hidden[i];
	dims[h] = c;
	return stack(cls, dims, h, a->activation, at);
}

size_t vi_mlp_widest(const vi_mlp *m)
{
	size_t w = m->layer[0].in;

	for (size_t l = 0; l < m->n; l++)
		if (m->layer[l].out > w)
			w = m->layer[l].out;
	return w;
}

int vi_trace_alloc(vi_trace *t, const vi_mlp *m, size_t cap)
{
	size_t widest = vi_mlp_widest(m);

	memset(t, 0, sizeof *t);
	for (size_t l = 0; l < m->n; l++) {
		size_t n = cap * m->layer[l].out;
		t->pre[l] = malloc(n * sizeof(float));
		t->post[l] = l + 1 < m->n ? malloc(n * sizeof(float)) : t->pre[l];
		if (!t->pre[l] || !t->post[l])
			return VAE_ENOMEM;
	}
	t->d0 = malloc(cap * widest * sizeof(float));
	t->d1 = malloc(cap * widest * sizeof(float));
	return t->d0 && t->d1 ? 0 : VAE_ENOMEM;
}

void vi_trace_release(vi_trace *t, const vi_mlp *m)
{
	for (size_t l = 0; l < m->n; l++) {
		if (t->post[l] != t->pre[l])
			free(t->post[l]);
		free(t->pre[l]);
	}
	free(t->d0);
	free(t->d1);
	memset(t, 0, sizeof *t);
}

float *vi_mlp_forward_on(const vi_mlp *m, const float *p, size_t rows, vi_trace *t)
{
	for (size_t l = 0; l < m->n; l++) {
		if (l)
			vi_dense_forward(&m->layer[l], p, t->post[l - 1], rows, t->pre[l]);
		if (l + 1 < m->n)
			vi_act_forward(m->act, t->pre[l], t->post[l], rows * m->layer[l].out);
	}
	return t->post[m->n - 1];
}

float *vi_mlp_forward(const vi_mlp *m, const float *p, const float *x, size_t rows,
                       vi_trace *t)
{
	vi_dense_forward(&m->layer[0], p, x, rows, t->pre[0]);
	return vi_mlp_forward_on(m, p, rows, t);
}

const float *vi_mlp_backward_on(const vi_mlp *m, const float *p, float *g, size_t rows,
                                vi_trace *t, const float *dout)
{
	const float *dy = dout;
	float *buf[2] = { t->d0, t->d1 };

	for (size_t l = m->n; l-- > 1;) {
		const vi_dense *d = &m->layer[l];
		float *din = buf[l & 1];

		vi_dense_backward(d, p, g, t->post[l - 1], dy, rows, din);
		vi_act_backward(m->act, t->pre[l - 1], t->post[l - 1], din, rows * d->in);
		dy = din;
	}
	return dy;
}

void vi_mlp_backward(const vi_mlp *m, const float *p, float *g, const float *x,
                      size_t rows, vi_trace *t, const float *dout, float *dx)
{
	const float *dy = vi_mlp_backward_on(m, p, g, rows, t, dout);

	vi_dense_backward(&m->layer[0], p, g, x, dy, rows, dx);
}
