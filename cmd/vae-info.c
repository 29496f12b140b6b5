/* vae-info: a readable summary of a model file. */
#include <string.h>

#include "cli.h"

static const double QUANTILES[] = { 0, 0.5, 0.9, 0.99, 0.999, 1 };

static void help(const struct cli *c)
{
	printf("usage: %s [-m] MODEL [options]\n"
	       "Summarise a model file: shapes, columns, scaling, training figures and\n"
	       "the quantiles of the training rows' scores.\n\n"
	       "Options (the model may also be given as the argument):\n", c->prog);
	cli_help_shared(c);
}

static void print_arch(FILE *out, const vae_model *m)
{
	const vae_arch *a = vae_model_arch(m);

	fprintf(out, "architecture: %zu", a->n_in);
	for (size_t i = 0; i < a->n_hidden; i++)
		fprintf(out, " -> %zu", a->hidden[i]);
	fprintf(out, " -> [%zu] ", a->n_latent);
	for (size_t i = a->n_hidden; i-- > 0;)
		fprintf(out, "-> %zu ", a->hidden[i]);
	fprintf(out, "-> %zu\n", a->n_in);
	if (a->n_latent2)         /* q(z2|z1) up, p(z1|z2) down */
		fprintf(out, "level 2: [%zu] -> %zu -> [%zu] -> %zu -> [%zu]\n", a->n_latent, a->hidden2,
		        a->n_latent2, a->hidden2, a->n_latent);
	if (a->n_classes) {       /* q(y|x); the encoder and decoder read y's one-hot too */
		fprintf(out, "classifier: %zu", a->n_in);
		for (size_t i = 0; i < a->n_hidden; i++)
			fprintf(out, " -> %zu", a->hidden[i]);
		fprintf(out, " -> [%zu classes]\n", a->n_classes);
	}
	fprintf(out, "kind: %s%s\n", a->autoencoder ? "autoencoder" : "variational autoencoder",
	        a->n_classes ? ", conditional on a label (M2)" : "");
	fprintf(out, "latent: %zu", a->n_latent);
	if (a->n_latent2)
		fprintf(out, ",%zu (z1, z2)", a->n_latent2);
	fprintf(out, "\nactivation: %s\nlikelihood: %s\n",
	        cli_name(VAE_NAMES_ACTIVATION, a->activation),
	        cli_name(VAE_NAMES_LIKELIHOOD, a->likelihood));
	if (a->likelihood != VAE_BERNOULLI && a->obs_scale > 0)
		fprintf(out, "scale: fixed %g\n", (double)a->obs_scale);
	else if (a->likelihood != VAE_BERNOULLI)
		fprintf(out, "scale: learned per column\n");
	fprintf(out, "parameters: %zu\n", vae_model_n_params(m));
	const char *const *classes, *label;
	size_t n = vae_model_classes(m, &classes, &label);
	if (n) {
		fprintf(out, "label: %s\nclasses: %zu:", label ? label : "(unnamed)", n);
		for (size_t i = 0; i < n; i++)
			fprintf(out, "%s%s", i ? ", " : " ", classes[i]);
		fputc('\n', out);
	}
	uint32_t h, w;
	if (vae_model_image(m, &h, &w))
		fprintf(out, "image: %ux%u (width x height)\n", w, h);
}

/* A table's columns, after their scaling: each one's kind, and a binary
 * or cat column's levels by commas ("(other)" last when it has one). */
static void print_kinds(FILE *out, const vae_model *m)
{
	const vae_arch *a = vae_model_arch(m);

	fprintf(out, "missing cells: %s\n", vae_model_masked(m) ? "masked (the encoder sees them)"
	        : "not in training");
	fprintf(out, "column\tkind\tlevels\n");
	for (size_t j = 0; j < a->n_in; j++) {
		const vae_column *col = vae_model_column(m, j);
		fprintf(out, "%zu\t%s%s\t", j + 1, cli_name(VAE_NAMES_KIND, col->kind),
		        col->kind != VAE_KIND_COUNT ? "" : col->negbin ? " (negative binomial)"
		        : " (poisson)");
		for (size_t i = 0; i < col->n_levels; i++)
			fprintf(out, "%s%s", i ? "," : "", col->levels[i]);
		fprintf(out, col->n_levels ? "\n" : "-\n");
	}
}

static void print_columns(FILE *out, const vae_model *m, int p)
{
	const vae_arch *a = vae_model_arch(m);

	fprintf(out, "scaling: %s\ncolumns: %zu\n",
	        cli_name(VAE_NAMES_SCALING, vae_model_scale_kind(m)), a->n_in);
	fprintf(out, "column\tname\toffset\tscale\n");
	for (size_t j = 0; j < a->n_in; j++) {
		float off, sc;
		const char *name = vae_model_name(m, j);
		vae_model_scaling(m, j, &off, &sc);
		fprintf(out, "%zu\t%s\t%.*g\t%.*g\n", j + 1, name ? name : "-", p, (double)off, p,
		        (double)sc);
	}
	if (vae_model_is_table(m))
		print_kinds(out, m);
}

/* The fit's settings (files from version 3 on), and which of them
 * vae-fit chose from the data. */
static void print_settings(FILE *out, const vae_record *r)
{
	static const char *const what[] = { "latent size", "hidden sizes", "batch", "epochs",
	                                    "validation share and patience" };
	int n = 0;

	if (!r->batch)
		return;                 /* an older file: not recorded */
	fprintf(out, "batch: %u\nvalidation share: %g\npatience: %u\ncontamination: %g\n",
	        r->batch, (double)r->val, r->patience, (double)r->trim);
	for (unsigned i = 0; i < sizeof what / sizeof *what; i++)
		if (r->chosen & 1u << i)
			fprintf(out, "%s%s", n++ ? ", " : "chosen from the data: ", what[i]);
	if (n)
		fputc('\n', out);
}

static void print_training(FILE *out, const vae_model *m, int p)
{
	const vae_record *r = vae_model_record(m);

	fprintf(out, "training rows: %llu\nepochs: %u\nseed: %llu\nbeta: %.*g\n",
	        (unsigned long long)r->rows, r->epochs, (unsigned long long)r->seed, p,
	        (double)r->beta);
	fprintf(out, "final loss: %.*g\nbest loss: %.*g\n", p, (double)r->final_loss, p,
	        (double)r->best_loss);
	if (r->val_loss == r->val_loss)
		fprintf(out, "validation loss: %.*g\nkept epoch: %u\n", p, (double)r->val_loss,
		        r->best_epoch);
	print_settings(out, r);
	const char *whose = r->held_out ? "held-out" : "training";
	if (r->rows == 0 || vae_model_quantile(m, 0, 0) != vae_model_quantile(m, 0, 0))
		return;
	uint64_t nrows;
	unsigned draws;
	if (vae_model_calibration(m, VAE_METRIC_NLL, &nrows, &draws))
		fprintf(out, "score quantiles of the %s rows, in nats (nll: %u draws over %llu rows):\nmetric",
		        whose, draws, (unsigned long long)nrows);
	else
		fprintf(out, "score quantiles of the %s rows, in nats:\nmetric", whose);
	for (size_t q = 0; q < sizeof QUANTILES / sizeof *QUANTILES; q++)
		fprintf(out, "\tp%g", 100 * QUANTILES[q]);
	for (int k = 0; k < VAE_N_METRICS; k++) {
		uint64_t rows;
		unsigned samples;
		if (!vae_model_calibration(m, k, &rows, &samples))
			continue;               /* an autoencoder has no nll */
		fprintf(out, "\n%s", cli_name(VAE_NAMES_METRIC, k));
		for (size_t q = 0; q < sizeof QUANTILES / sizeof *QUANTILES; q++)
			fprintf(out, "\t%.*g", p, (double)vae_model_quantile(m, k, QUANTILES[q]));
	}
	fputc('\n', out);
}

int main(int argc, char **argv)
{
	static const struct option longs[] = { CLI_LONG, { 0 } };
	struct cli c;
	int opt;

	/* -s and -q are taken, to no effect, so that a script can give every
	 * program the same options. */
	cli_init(&c, "vae-info", CLI_MODEL | CLI_OUTPUT | CLI_PRECISION | CLI_SEED | CLI_QUIET
	         | CLI_PORTABLE, argv);
	c.seed_help = "accepted for scripts; vae-info draws nothing";
	while ((opt = getopt_long(argc, argv, CLI_SHORT, longs, NULL)) != -1)
		cli_option(&c, opt, optarg, help);
	if (!c.model && optind < argc)
		c.model = argv[optind++];
	if (optind < argc)
		cli_usage(&c, "one model at a time, got also \"%s\"", argv[optind]);
	cli_finish_options(&c, argc, argv, 1);
	vae_model *m = cli_load_model(&c);
	cli_open_output(&c);
	fprintf(c.out, "model: %s\n", c.model);
	print_arch(c.out, m);
	print_columns(c.out, m, c.precision);
	print_training(c.out, m, c.precision);
	vae_model_free(m);
	return cli_close_output(&c);
}
