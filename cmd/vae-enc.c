/* vae-enc: rows to latent codes, one row each. */
#include <stdlib.h>

#include "cli.h"

/* This program's long options without a letter. */
enum {
	OPT_SAMPLE = CLI_OPT_FIRST_PRIVATE,
	OPT_LOGVAR,
	OPT_LEVEL
};

struct enc {
	vae_model *m;
	cli_workers *workers;
	const vae_mat *x;       /* the chunk being encoded */
	vae_mat mu, logvar;
	float *row;             /* 2 n_latent: mu then logvar */
	int sample, with_logvar;
	int level;              /* the latent level written: 1 (z1) or 2 (z2) */
	unsigned long long seed;
};

static void help(const struct cli *c)
{
	printf("usage: %s -m MODEL [options] [FILE...]\n"
	       "Encode rows (CSV, TSV, NPY or IDX; gzipped or plain) to latent codes: the\n"
	       "mean of q(z|x) by default, one row each, in the order read.\n\n"
	       "Encoding:\n"
	       "      --level L           the latent level of a two-level model: 1, z1 from\n"
	       "                          q(z1|x), or 2, z2 from q(z2|z1) at z1's mean (its\n"
	       "                          draw with --sample) [1]\n"
	       "      --sample            draw z = mu + sigma * eps instead of the mean\n"
	       "      --logvar            append the log-variances of q(z|x)\n\n"
	       "Common:\n", c->prog);
	cli_help_shared(c);
}

static int header(void *user, const vae_reader *r, vae_writer *w, vae_err *e)
{
	struct enc *s = user;
	size_t k = vae_model_latent(s->m, s->level);
	char **names = malloc(2 * k * sizeof *names);
	int rc;

	if (!names) {
		snprintf(e->msg, sizeof e->msg, "out of memory");
		return e->code = VAE_ENOMEM;
	}
	for (size_t j = 0; j < 2 * k; j++) {
		names[j] = malloc(32);
		if (names[j])
			snprintf(names[j], 32, j < k ? "z%zu" : "logvar%zu", j % k + 1);
	}
	rc = cli_write_header(w, r, (const char *const *)names, "z", s->with_logvar ? 2 * k : k, e);
	for (size_t j = 0; j < 2 * k; j++)
		free(names[j]);
	free(names);
	return rc;
}

/* Rows [r0, r1) of the chunk, in a worker. */
static int encode(void *user, vae_ctx *ctx, size_t r0, size_t r1, vae_err *e)
{
	struct enc *s = user;
	size_t k = s->mu.cols, d = s->x->cols;
	vae_mat x = { r1 - r0, d, s->x->x + r0 * d };
	vae_mat mu = { 0, k, s->mu.x + r0 * k }, lv = { 0, k, s->logvar.x + r0 * k };

	return vae_encode_level(ctx, s->level, &x, &mu, &lv, s->sample, s->seed, e);
}

static int chunk(void *user, const vae_reader *r, const vae_mat *x, const vae_text *keep,
                 vae_writer *w, vae_err *e)
{
	struct enc *s = user;
	size_t k = s->mu.cols;
	float *row = s->row;
	int rc;

	(void)r;
	s->x = x;
	if ((rc = cli_workers_run(s->workers, x->rows, encode, s, e)))
		return rc;
	for (size_t i = 0; i < x->rows && !rc; i++) {
		if (!s->with_logvar) {
			rc = cli_write_row(w, keep, i, s->mu.x + i * k, k, e);
			continue;
		}
		for (size_t j = 0; j < k; j++) {
			row[j] = s->mu.x[i * k + j];
			row[k + j] = s->logvar.x[i * k + j];
		}
		rc = cli_write_row(w, keep, i, row, 2 * k, e);
	}
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longs[] = {
		CLI_LONG,
		{ .name = "sample", .has_arg = no_argument, .val = OPT_SAMPLE },
		{ .name = "logvar", .has_arg = no_argument, .val = OPT_LOGVAR },
		{ .name = "level", .has_arg = required_argument, .val = OPT_LEVEL },
		{ 0 }
	};
	struct cli c;
	struct enc s = { .level = 1 };
	vae_err e = { 0 };
	int opt;

	cli_init(&c, "vae-enc", CLI_FILTER | CLI_SEED, argv);
	while ((opt = getopt_long(argc, argv, CLI_SHORT, longs, NULL)) != -1) {
		if (cli_option(&c, opt, optarg, help))
			continue;
		if (opt == OPT_SAMPLE)
			s.sample = 1;
		else if (opt == OPT_LOGVAR)
			s.with_logvar = 1;
		else if (opt == OPT_LEVEL)
			s.level = (int)cli_uint(&c, "--level", optarg, 1, 2);
	}
	cli_finish_options(&c, argc, argv, 1);
	s.m = cli_load_model(&c);
	s.seed = c.seed;
	size_t k = cli_latent(&c, s.m, s.level);
	if (!(s.row = malloc(2 * k * sizeof *s.row)))
		cli_nomem(&c);
	s.workers = cli_workers_new(&c, s.m);
	if (vae_mat_alloc(&s.mu, CLI_CHUNK, k, &e) || vae_mat_alloc(&s.logvar, CLI_CHUNK, k, &e))
		cli_die(&c, &e);
	cli_open_output(&c);
	const char **names = cli_model_names(s.m);
	struct cli_filter f = {
		.n_in = vae_model_arch(s.m)->n_in, .names = names, .model = s.m, .header = header,
		.chunk = chunk,
		.user = &s, .out_width = s.with_logvar ? 2 * k : k
	};
	int status = cli_filter_run(&c, &f);
	free(names);
	vae_mat_release(&s.mu);
	vae_mat_release(&s.logvar);
	free(s.row);
	cli_workers_free(s.workers);
	vae_model_free(s.m);
	return status;
}
