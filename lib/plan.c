/* plan.c: a fit's sizes from the shape of its data, where the user gave none. */
#include <math.h>

#include "internal.h"

/* Adam steps a fit takes at least: 50 epochs of a table of a few hundred
 * rows are a few hundred steps, far from converged (imputation error on
 * such tables fell by a fifth from 300 steps to 2000, and little after). */
#define MIN_STEPS 2000
/* Rows from which a share is held out: its loss stops training and its
 * scores give the thresholds, p99 from 100 held-out rows at least. */
#define VAL_ROWS 2000
#define VAL_SHARE 0.1f
#define PATIENCE 10

static size_t clamp(size_t v, size_t lo, size_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The largest power of two at most v (v >= 1). */
static size_t floor_pow2(size_t v)
{
	size_t p = 1;

	while (p <= v / 2)
		p *= 2;
	return p;
}

/* The hidden layer between z1 and z2, in q(z2|z1) and p(z1|z2): half
 * the encoder's last hidden layer, as in Burda et al.'s two-layer model
 * (200 units below z1, 100 between z1 and z2), but never narrower than z1. */
static size_t level2_hidden(const vae_arch *a)
{
	size_t h = a->n_hidden ? a->hidden[a->n_hidden - 1] / 2 : 0;

	return h > a->n_latent ? h : a->n_latent;
}

void vae_plan(size_t rows, size_t cols, unsigned given, vae_arch *a, vae_fit_opts *o)
{
	o->chosen = 0;
	/* epochs given: the user fixed how long to train, so no rows go to a
	 * stopping rule (the Fashion-MNIST figures of -e 10 stay as they were) */
	if (!(given & (VAE_CHOSE_VAL | VAE_CHOSE_EPOCHS)) && rows >= VAL_ROWS) {
		o->val = VAL_SHARE;
		if (!o->patience)
			o->patience = PATIENCE;
		o->chosen |= VAE_CHOSE_VAL;
	}
	size_t train = rows - (size_t)((double)o->val * (double)rows);
	if (!(given & VAE_CHOSE_LATENT)) {
		/* a table's columns are related in more ways than 2 dimensions
		 * hold: on a 7-column request log, planted impossible rows ranked
		 * at ROC-AUC 0.94 with 2, 0.98 with 4 */
		a->n_latent = clamp((cols + 1) / 2, 2, 16);
		o->chosen |= VAE_CHOSE_LATENT;
	}
	if (!(given & VAE_CHOSE_HIDDEN)) {
		a->n_hidden = 1;
		a->hidden[0] = clamp(floor_pow2(4 * cols), 32, 256);
		o->chosen |= VAE_CHOSE_HIDDEN;
	}
	if (a->n_latent2)
		a->hidden2 = level2_hidden(a);
	if (!(given & VAE_CHOSE_BATCH)) {
		/* small tables take small batches: more steps of their few rows */
		o->batch = clamp(floor_pow2(train / 16 ? train / 16 : 1), 16, 128);
		o->chosen |= VAE_CHOSE_BATCH;
	}
	if (!(given & VAE_CHOSE_EPOCHS)) {
		double steps = ceil((double)(train ? train : 1) / (double)o->batch);
		if (o->epochs * steps < MIN_STEPS)
			o->epochs = (uint32_t)ceil(MIN_STEPS / steps);
		o->chosen |= VAE_CHOSE_EPOCHS;
	}
}
