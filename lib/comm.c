/* comm.c: a fit's rows spread over processes (vae_comm): which are here, and their scores gathered. */
#include <string.h>

#include "internal.h"

void vae_comm_share(const vae_comm *c, vae_mat *x)
{
	size_t d = x->cols, kept = 0;

	if (!c || c->size < 2)
		return;
	for (size_t i = (size_t)c->rank; i < x->rows; i += (size_t)c->size)
		memmove(x->x + kept++ * d, x->x + i * d, d * sizeof *x->x);
	x->rows = kept;
}

size_t vi_comm_rows(const vae_comm *c, size_t local)
{
	double n = (double)local;       /* exact below 2^53 rows */

	if (c)
		c->sum_double(&n, 1, c->user);
	return (size_t)n;
}

size_t vi_comm_own(const vae_comm *c, const size_t *list, size_t n, size_t *place, size_t *local)
{
	size_t size = c ? (size_t)c->size : 1, rank = c ? (size_t)c->rank : 0, own = 0;

	for (size_t i = 0; i < n; i++) {
		size_t g = list ? list[i] : i;
		if (g % size == rank) {
			place[own] = i;
			local[own++] = g / size;
		}
	}
	return own;
}

/* v[0..own) to v[place[j]], 0 at the places of other processes' rows, then
 * summed across the processes: each place has one value that is not 0, so
 * the sum gives every process every value exactly.  Back to front, since
 * place[j] >= j: no value is overwritten before it has moved. */
void vi_comm_spread(const vae_comm *c, const size_t *place, size_t own, size_t n, float *v)
{
	if (!c || !v)
		return;
	for (size_t i = n, j = own; i-- > 0;)
		if (j > 0 && place[j - 1] == i)
			v[i] = v[--j];
		else
			v[i] = 0;
	c->sum_float(v, n, c->user);
}

void vi_comm_score(vi_team *t, vae_ctx **ctx, const vae_mat *x, const float *y,
                   const vae_comm *c, const size_t *list, size_t n, float *recon, float *elbo,
                   size_t *scratch)
{
	size_t own = vi_comm_own(c, list, n, scratch, scratch + n);

	vi_score_rows(t, ctx, x, y, scratch + n, own, recon, elbo);
	vi_comm_spread(c, scratch, own, n, recon);
	vi_comm_spread(c, scratch, own, n, elbo);
}
