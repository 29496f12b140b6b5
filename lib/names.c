/* names.c: the words for the values of vae.h's enums, one list each, so
 * that the programs which parse them from options and print them in
 * summaries cannot drift apart. */
#include "internal.h"

static const char *const LIKELIHOOD[] = { "bernoulli", "gaussian", "laplace" };
static const char *const ACTIVATION[] = { "relu", "tanh", "softplus" };
static const char *const SCALING[] = { "none", "standard", "minmax" };
static const char *const METRIC[] = { "recon", "elbo", "nll" };
static const char *const FORMAT[] = { "auto", "csv", "tsv", "npy", "idx", "png" };
static const char *const MISSING[] = { "error", "skip", "mask" };
static const char *const KIND[] = { "real", "positive", "count", "binary", "cat" };
static const char *const COMPUTE[] = { "f32", "bf16" };

#define LIST(a) { a, sizeof a / sizeof *a }

/* Indexed by enum vae_name_kind. */
static const struct {
	const char *const *names;
	size_t n;
} LISTS[] = {
	[VAE_NAMES_LIKELIHOOD] = LIST(LIKELIHOOD),
	[VAE_NAMES_ACTIVATION] = LIST(ACTIVATION),
	[VAE_NAMES_SCALING] = LIST(SCALING),
	[VAE_NAMES_METRIC] = LIST(METRIC),
	[VAE_NAMES_FORMAT] = LIST(FORMAT),
	[VAE_NAMES_MISSING] = LIST(MISSING),
	[VAE_NAMES_KIND] = LIST(KIND),
	[VAE_NAMES_COMPUTE] = LIST(COMPUTE),
};

/* Each list must name every value of its enum, in order: checked here at
 * compile time for the enums that count their values. */
_Static_assert(sizeof METRIC / sizeof *METRIC == VAE_N_METRICS, "a metric without a name");
_Static_assert(sizeof FORMAT / sizeof *FORMAT == VAE_FMT_PNG + 1, "a format without a name");
_Static_assert(sizeof LIKELIHOOD / sizeof *LIKELIHOOD == VAE_LAPLACE + 1, "a likelihood without a name");
_Static_assert(sizeof ACTIVATION / sizeof *ACTIVATION == VAE_SOFTPLUS + 1, "an activation without a name");
_Static_assert(sizeof MISSING / sizeof *MISSING == VAE_MISSING_MASK + 1, "a missing mode without a name");
_Static_assert(sizeof KIND / sizeof *KIND == VAE_N_KINDS, "a kind without a name");
_Static_assert(sizeof COMPUTE / sizeof *COMPUTE == VAE_COMPUTE_BF16 + 1, "a compute type without a name");
_Static_assert(sizeof SCALING / sizeof *SCALING == VAE_SCALE_MINMAX + 1, "a scaling without a name");

const char *const *vae_names(enum vae_name_kind kind, size_t *n)
{
	int known = (int)kind >= 0 && (size_t)kind < sizeof LISTS / sizeof *LISTS;

	if (n)
		*n = known ? LISTS[kind].n : 0;
	return known ? LISTS[kind].names : NULL;
}
